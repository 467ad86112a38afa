using RnnRunner.Core.Engines;

namespace RnnRunner.Core.Inspection;

/// <summary>
/// What an engine shows of its recurrent layers' inside: every gate, cell state and hidden state at every step of one
/// sequence, as the <see cref="TracedStep"/> records define them (the same names and gate order on every engine). Each
/// engine assembly has one, found by <see cref="RecurrentTracers.For"/>; everything else about a trace (outputs,
/// prefixes, occlusion, gradients) goes through the engine's <see cref="ITrainableModel"/> in <see cref="ModelInspector"/>.
/// </summary>
public interface IRecurrentTracer
{
    /// <param name="plan">The model, its sequence shapes set to the example's length.</param>
    IReadOnlyList<TracedLayer> Trace(ModelPlan plan, IReadOnlyList<NamedTensor> weights, TraceExample example);
}

/// <summary>Finds an engine's <see cref="IRecurrentTracer"/> in its assembly, as <see cref="Layers.LayerModules"/> finds its layers.</summary>
public static class RecurrentTracers
{
    public static IRecurrentTracer For(IEngine engine)
    {
        var type = engine.GetType().Assembly.GetTypes().FirstOrDefault(t =>
            !t.IsAbstract && typeof(IRecurrentTracer).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            ?? throw new InvalidOperationException($"the {engine.Kind} engine has no recurrent tracer");
        return (IRecurrentTracer)Activator.CreateInstance(type)!;
    }
}
