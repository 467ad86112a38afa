using RnnRunner.Core.Engines;
using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Specs;
using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch.Layers;

/// <summary>Inverted dropout (scaled at training time, identity at inference), elementwise as Keras' Dropout.</summary>
[BuildsLayer(typeof(DropoutLayerSpec))]
internal sealed class DropoutLayer(double rate) : TorchLayer(nameof(DropoutLayer))
{
    public DropoutLayer(PlannedLayer layer) : this(((DropoutLayerSpec)layer.Spec).Rate) { }

    public override Tensor Forward(Tensor input, TorchMask? mask) => nn.functional.dropout(input, rate, training);

    public override IEnumerable<(string, TorchSharp.Modules.Parameter)> PortableParameters(string prefix) => [];
}
