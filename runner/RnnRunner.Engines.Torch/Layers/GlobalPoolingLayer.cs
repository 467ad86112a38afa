using RnnRunner.Core.Engines;
using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Specs;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch.Layers;

/// <summary>
/// global_max_pooling and global_average_pooling: (B, T, F) → (B, F) over each row's real steps (every step
/// without a mask). A row with no real step gives zeros.
/// </summary>
[BuildsLayer(typeof(GlobalMaxPoolingLayerSpec))]
[BuildsLayer(typeof(GlobalAveragePoolingLayerSpec))]
internal sealed class GlobalPoolingLayer(bool max) : TorchLayer(nameof(GlobalPoolingLayer))
{
    public GlobalPoolingLayer(PlannedLayer layer) : this(layer.Spec is GlobalMaxPoolingLayerSpec) { }

    public override Tensor Forward(Tensor input, TorchMask? mask)
    {
        if (mask is null) return max ? input.max(1).values : input.mean([1]);
        if (!max) return (input * mask.Real).sum(1) / mask.Divisors;
        // Padding never wins: it is -inf before the max, and rows with no real step are set to zero after it.
        using TorchSharp.Scalar lowest = double.NegativeInfinity; // explicit and alive through the call (see TorchMask)
        var pooled = input.masked_fill(mask.Padding, lowest).max(1).values;
        return where(mask.HasRealStep, pooled, zeros_like(pooled));
    }

    public override IEnumerable<(string, Parameter)> PortableParameters(string prefix) => [];
}
