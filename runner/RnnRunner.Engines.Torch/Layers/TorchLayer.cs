using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch.Layers;

/// <summary>
/// One spec layer as a TorchSharp module. Activations are batch-first: (B, T, F) for sequences, (B, F) after a
/// recurrent layer that returns only its last output. A layer whose input carries a padding mask is given it.
/// </summary>
internal abstract class TorchLayer(string name) : nn.Module(name)
{
    /// <param name="mask">The batch's padding mask when this layer's input carries one (see the plan), else null.</param>
    public abstract Tensor Forward(Tensor input, TorchMask? mask);

    /// <summary>Parameters under engine-neutral names (see <c>NamedTensor</c>), prefixed by the layer's spec path.</summary>
    public abstract IEnumerable<(string Name, Parameter Parameter)> PortableParameters(string prefix);
}
