using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Engines.Layers;

/// <summary>bidirectional: the wrapped recurrent layer twice (forward, backward), outputs merged by merge_mode.</summary>
public sealed class BidirectionalLayerType : LayerType<BidirectionalLayerSpec>
{
    private static readonly RecurrentLayerType Recurrent = new();

    public override bool NeedsSequence => true;

    protected override LayerShape Output(BidirectionalLayerSpec spec, LayerShape input) =>
        RecurrentLayerType.Output(spec.Layer, input, spec.MergeMode == MergeMode.Concat ? 2 * spec.Layer.Units : spec.Layer.Units);

    protected override (long Torch, long Keras) Parameters(BidirectionalLayerSpec spec, int inputFeatures)
    {
        var (torch, keras) = Recurrent.Parameters(spec.Layer, inputFeatures);
        return (2 * torch, 2 * keras);
    }

    protected override IEnumerable<NamedTensor> InitialWeights(BidirectionalLayerSpec spec, PlannedLayer layer, Random random) =>
        RecurrentLayerType.Weights($"{layer.Path}.forward", spec.Layer, layer.Input.Features, random)
            .Concat(RecurrentLayerType.Weights($"{layer.Path}.backward", spec.Layer, layer.Input.Features, random));

    protected override double SavedValuesPerExample(BidirectionalLayerSpec spec, LayerShape input) =>
        2 * Recurrent.SavedValuesPerExample(spec.Layer, input);

    protected override string Describe(BidirectionalLayerSpec spec) => $"Bidirectional {Name(spec.Layer)}, merge {SpecNames.Of(spec.MergeMode)}";

    public override string DisplayName(LayerSpec spec) => $"bidirectional({Name(((BidirectionalLayerSpec)spec).Layer)})";
}
