using RnnRunner.Core.Engines;
using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch.Layers;

/// <summary>
/// (B, F) → (B, units), or (B, T, F) → (B, T, units): nn.Linear acts on the last dimension, which makes it a
/// per-time-step dense layer on sequences for free. The final layer's activation is left to the loss
/// (<see cref="ApplyActivation"/> false) so sigmoid/softmax are fused into a numerically stable loss.
/// </summary>
[BuildsLayer(typeof(DenseLayerSpec))]
internal sealed class DenseLayer : TorchLayer
{
    public DenseLayer(PlannedLayer layer) : this(layer.Input.Features, ((DenseLayerSpec)layer.Spec).Units, ((DenseLayerSpec)layer.Spec).Activation) { }

    private readonly Linear _linear;
    private readonly Activation _activation;

    public DenseLayer(long inputs, long units, Activation activation) : base(nameof(DenseLayer))
    {
        _linear = nn.Linear(inputs, units);
        _activation = activation;
        RegisterComponents();
    }

    public bool ApplyActivation { get; set; } = true;

    public override Tensor Forward(Tensor input, TorchMask? mask)
    {
        var z = _linear.call(input);
        return ApplyActivation ? Activate(z, _activation) : z;
    }

    public static Tensor Activate(Tensor z, Activation activation) => activation switch
    {
        Activation.Tanh => z.tanh(),
        Activation.Relu => z.relu(),
        Activation.Sigmoid => z.sigmoid(),
        Activation.Softmax => z.softmax(-1),
        _ => z,
    };

    public override IEnumerable<(string, Parameter)> PortableParameters(string prefix)
    {
        yield return ($"{prefix}.weight", _linear.weight!);
        yield return ($"{prefix}.bias", _linear.bias!);
    }
}
