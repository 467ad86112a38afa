using RnnRunner.Core.Settings;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Engines;

/// <summary>
/// The engines a program can build models on, by the spec's <c>engine:</c> value. Each is created on first use,
/// so a scratch-engine run never loads libtorch.
/// </summary>
public sealed class EngineCatalog : IDisposable
{
    private readonly Dictionary<EngineKind, Lazy<IEngine>> _engines;

    public EngineCatalog(IReadOnlyDictionary<EngineKind, Func<IEngine>> factories) =>
        _engines = factories.ToDictionary(f => f.Key, f => new Lazy<IEngine>(f.Value));

    /// <summary>The CPU threads the engines were given (--threads), or null for all cores: part of a calibration's key.</summary>
    public int? Threads { get; init; }

    /// <summary>The environment switches the engines were built with: the calibration key's kernel switches.</summary>
    public Switchboard Switches { get; init; } = Switchboard.Current;

    /// <summary>The engines this program has, in the order they are tried.</summary>
    public IReadOnlyList<EngineKind> Kinds => _engines.Keys.ToList();

    /// <summary>A catalog of engines that already exist.</summary>
    public static EngineCatalog Of(params IEngine[] engines) =>
        new(engines.ToDictionary(e => e.Kind, e => (Func<IEngine>)(() => e)));

    public IEngine For(EngineKind kind) =>
        kind == EngineKind.Auto ? throw new InvalidOperationException("engine: auto is settled by EngineSelection.EngineSelector before a model is built")
        : _engines.TryGetValue(kind, out var engine) ? engine.Value
        : throw new InvalidOperationException($"this program was built without the {SpecNames.Of(kind)} engine");

    /// <summary>
    /// What keeps <paramref name="kind"/> from running the plan here (<see cref="IEngine.Problems"/>); for
    /// <c>auto</c>, nothing while any engine can, else one error naming each engine's first problem.
    /// </summary>
    public IEnumerable<PlanError> Problems(EngineKind kind, ModelPlan plan, DeviceKind device)
    {
        if (kind != EngineKind.Auto) return For(kind).Problems(plan, device);
        var problems = ProblemsByEngine(plan, device);
        return problems.Values.Any(p => p.Count == 0) ? [] : [new PlanError("engine", NoEngineMessage(problems))];
    }

    /// <summary>Each engine's problems with the plan here (an empty list: it can run it).</summary>
    public IReadOnlyDictionary<EngineKind, List<PlanError>> ProblemsByEngine(ModelPlan plan, DeviceKind device) =>
        Kinds.ToDictionary(k => k, k => For(k).Problems(plan, device).ToList());

    public static string NoEngineMessage(IReadOnlyDictionary<EngineKind, List<PlanError>> problems) =>
        "auto finds no engine that runs this spec here: " +
        string.Join("; ", problems.Select(p => $"{SpecNames.Of(p.Key)} — {p.Value[0].Path}: {p.Value[0].Message}"));

    public void Dispose()
    {
        foreach (var engine in _engines.Values)
            if (engine.IsValueCreated && engine.Value is IDisposable disposable) disposable.Dispose();
    }
}
