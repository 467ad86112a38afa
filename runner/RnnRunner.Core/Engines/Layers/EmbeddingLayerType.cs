using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Engines.Layers;

/// <summary>embedding: token ids → vectors; a table of input_dim × output_dim, Keras' uniform ±0.05 start.</summary>
public sealed class EmbeddingLayerType : LayerType<EmbeddingLayerSpec>
{
    /// <summary>Keras Embedding: uniform in [−0.05, 0.05].</summary>
    public const double InitialLimit = 0.05;

    /// <summary>(steps) ids → (steps, output_dim); with mask_zero the padding mask starts here.</summary>
    protected override LayerShape Output(EmbeddingLayerSpec spec, LayerShape input) =>
        input with { Features = spec.OutputDim, Masked = spec.MaskZero };

    protected override (long Torch, long Keras) Parameters(EmbeddingLayerSpec spec, int inputFeatures)
    {
        var table = (long)spec.Rows * spec.OutputDim;
        return (table, table);
    }

    protected override IEnumerable<NamedTensor> InitialWeights(EmbeddingLayerSpec spec, PlannedLayer layer, Random random) =>
        [Initialisers.Tensor($"{layer.Path}.embeddings", [spec.Rows, spec.OutputDim], v => Initialisers.Uniform(v, InitialLimit, random))];

    protected override string Describe(EmbeddingLayerSpec spec) => spec.MaskZero ? "Embedding, mask_zero" : "Embedding";
}
