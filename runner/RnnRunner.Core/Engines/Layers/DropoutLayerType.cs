using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Engines.Layers;

/// <summary>dropout: zeroes a fraction of its input while training; no weights, same shape.</summary>
public sealed class DropoutLayerType : LayerType<DropoutLayerSpec>
{
    protected override LayerShape Output(DropoutLayerSpec spec, LayerShape input) => input;

    protected override string Describe(DropoutLayerSpec spec) => "Dropout";
}
