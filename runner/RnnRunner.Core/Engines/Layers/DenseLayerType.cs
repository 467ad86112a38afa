using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Engines.Layers;

/// <summary>dense: a fully-connected layer, applied at every time step of a sequence (Keras' TimeDistributed).</summary>
public sealed class DenseLayerType : LayerType<DenseLayerSpec>
{
    protected override LayerShape Output(DenseLayerSpec spec, LayerShape input) => input with { Features = spec.Units };

    protected override (long Torch, long Keras) Parameters(DenseLayerSpec spec, int inputFeatures)
    {
        var count = (long)inputFeatures * spec.Units + spec.Units;
        return (count, count);
    }

    /// <summary>Keras Dense: glorot-uniform kernel, zero bias.</summary>
    protected override IEnumerable<NamedTensor> InitialWeights(DenseLayerSpec spec, PlannedLayer layer, Random random)
    {
        var inputs = layer.Input.Features;
        yield return Initialisers.Tensor($"{layer.Path}.weight", [spec.Units, inputs], v => Initialisers.GlorotUniform(v, spec.Units, inputs, random));
        yield return Initialisers.Tensor($"{layer.Path}.bias", [spec.Units], _ => { });
    }

    protected override string Describe(DenseLayerSpec spec) => $"Dense, {SpecNames.Of(spec.Activation)}";
}
