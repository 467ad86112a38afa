using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;

namespace RnnRunner.Core.Engines.Layers;

/// <summary>
/// Everything Core knows about one kind of layer, in one place: its shape rule, its parameter count in both
/// conventions, its starting weights, what it keeps for backpropagation (the memory estimate) and its line in the
/// model summary. The planner, <see cref="Engines.InitialWeights"/>, <see cref="MemoryEstimate"/> and
/// <see cref="ModelPlan.Summary"/> ask the layer's type rather than switching on spec records.
/// Adding a layer type: its spec record (Specs/LayerSpec.cs), one <see cref="LayerType{TSpec}"/> here, and a
/// module in each engine.
/// </summary>
public abstract class LayerType
{
    /// <summary>The spec record (or base record) this type describes.</summary>
    public abstract Type SpecType { get; }

    /// <summary>Whether the layer reads a sequence (None, steps, features) rather than one vector per example.</summary>
    public virtual bool NeedsSequence => false;

    public abstract LayerShape Output(LayerSpec spec, LayerShape input);

    /// <summary>Trainable parameters: libtorch's count (two recurrent bias vectors) and Keras' (one).</summary>
    public abstract (long Torch, long Keras) Parameters(LayerSpec spec, int inputFeatures);

    /// <summary>The layer's starting weights in engine-neutral names and libtorch's layout, drawn from <paramref name="random"/>.</summary>
    public abstract IEnumerable<NamedTensor> InitialWeights(PlannedLayer layer, Random random);

    /// <summary>Values per example a training forward pass keeps for the backward pass, besides the layer's output.</summary>
    public abstract double SavedValuesPerExample(LayerSpec spec, LayerShape input);

    /// <summary>The summary's type column, e.g. "LSTM" or "Dense, relu".</summary>
    public abstract string Describe(LayerSpec spec);

    /// <summary>The layer's name in summaries and errors, e.g. "lstm" or "bidirectional(gru)".</summary>
    public virtual string DisplayName(LayerSpec spec) => Name(spec);

    /// <summary>The spec's <c>type:</c> name.</summary>
    public static string Name(LayerSpec spec) => SpecSchema.UnionOf(typeof(LayerSpec)).NameOf(spec.GetType());
}

/// <summary>A <see cref="LayerType"/> written against its own spec record.</summary>
public abstract class LayerType<TSpec> : LayerType where TSpec : LayerSpec
{
    public sealed override Type SpecType => typeof(TSpec);
    public sealed override LayerShape Output(LayerSpec spec, LayerShape input) => Output((TSpec)spec, input);
    public sealed override (long Torch, long Keras) Parameters(LayerSpec spec, int inputFeatures) => Parameters((TSpec)spec, inputFeatures);
    public sealed override IEnumerable<NamedTensor> InitialWeights(PlannedLayer layer, Random random) => InitialWeights((TSpec)layer.Spec, layer, random);
    public sealed override double SavedValuesPerExample(LayerSpec spec, LayerShape input) => SavedValuesPerExample((TSpec)spec, input);
    public sealed override string Describe(LayerSpec spec) => Describe((TSpec)spec);

    protected abstract LayerShape Output(TSpec spec, LayerShape input);
    protected virtual (long Torch, long Keras) Parameters(TSpec spec, int inputFeatures) => (0, 0);
    protected virtual IEnumerable<NamedTensor> InitialWeights(TSpec spec, PlannedLayer layer, Random random) => [];
    protected virtual double SavedValuesPerExample(TSpec spec, LayerShape input) => 0;
    protected abstract string Describe(TSpec spec);
}

/// <summary>Finds a spec's layer type: every <see cref="LayerType"/> in this assembly, matched by spec record.</summary>
public static class LayerTypes
{
    public static readonly IReadOnlyList<LayerType> All = typeof(LayerType).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false } && typeof(LayerType).IsAssignableFrom(t))
        .Select(t => (LayerType)Activator.CreateInstance(t)!)
        .ToList();

    public static LayerType For(LayerSpec spec) =>
        All.FirstOrDefault(t => t.SpecType.IsInstanceOfType(spec))
        ?? throw new InvalidOperationException($"no LayerType describes {spec.GetType().Name}; add one in Engines/Layers/");
}
