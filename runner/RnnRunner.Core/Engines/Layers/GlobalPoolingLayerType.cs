using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Engines.Layers;

/// <summary>
/// global_max_pooling: (steps, features) → (features), the largest value of each feature over the real (unmasked)
/// steps. Keras' GlobalMaxPooling1D ignores a mask; this one honours it, as the masked max-pooling layers people
/// write for Keras do, so padding never wins the max. A row with no real step gives zeros.
/// </summary>
public sealed class GlobalMaxPoolingLayerType : LayerType<GlobalMaxPoolingLayerSpec>
{
    public override bool NeedsSequence => true;

    protected override LayerShape Output(GlobalMaxPoolingLayerSpec spec, LayerShape input) => input.WithoutTime(input.Features);

    /// <summary>The step that won each feature's max, for the backward pass.</summary>
    protected override double SavedValuesPerExample(GlobalMaxPoolingLayerSpec spec, LayerShape input) => input.Features;

    protected override string Describe(GlobalMaxPoolingLayerSpec spec) => "GlobalMaxPooling1D";
}

/// <summary>
/// global_average_pooling: (steps, features) → (features), the mean of each feature over the real (unmasked)
/// steps, as Keras' GlobalAveragePooling1D with a mask. A row with no real step gives zeros.
/// </summary>
public sealed class GlobalAveragePoolingLayerType : LayerType<GlobalAveragePoolingLayerSpec>
{
    public override bool NeedsSequence => true;

    protected override LayerShape Output(GlobalAveragePoolingLayerSpec spec, LayerShape input) => input.WithoutTime(input.Features);

    protected override string Describe(GlobalAveragePoolingLayerSpec spec) => "GlobalAveragePooling1D";
}
