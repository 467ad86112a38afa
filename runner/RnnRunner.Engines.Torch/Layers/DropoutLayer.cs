using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch.Layers;

/// <summary>Inverted dropout (scaled at training time, identity at inference), elementwise as Keras' Dropout.</summary>
internal sealed class DropoutLayer(double rate) : TorchLayer(nameof(DropoutLayer))
{
    public override Tensor forward(Tensor input) => nn.functional.dropout(input, rate, training);

    public override IEnumerable<(string, TorchSharp.Modules.Parameter)> PortableParameters(string prefix) => [];
}
