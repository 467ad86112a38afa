using RnnRunner.Core.Engines;
using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch.Layers;

/// <summary>(B, T) int32 token ids → (B, T, output_dim).</summary>
[BuildsLayer(typeof(EmbeddingLayerSpec))]
internal sealed class EmbeddingLayer : TorchLayer
{
    public EmbeddingLayer(PlannedLayer layer) : this(((EmbeddingLayerSpec)layer.Spec).Rows, ((EmbeddingLayerSpec)layer.Spec).OutputDim) { }

    private readonly Embedding _embedding;

    public EmbeddingLayer(long inputDim, long outputDim) : base(nameof(EmbeddingLayer))
    {
        _embedding = nn.Embedding(inputDim, outputDim);
        RegisterComponents();
    }

    /// <summary>The mask itself is built once per batch from the token ids (<see cref="TorchMask"/>), not here.</summary>
    public override Tensor Forward(Tensor tokenIds, TorchMask? mask) => _embedding.call(tokenIds);

    public override IEnumerable<(string, Parameter)> PortableParameters(string prefix)
    {
        yield return ($"{prefix}.embeddings", _embedding.weight!);
    }
}
