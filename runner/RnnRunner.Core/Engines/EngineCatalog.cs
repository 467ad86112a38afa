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

    /// <summary>A catalog of engines that already exist.</summary>
    public static EngineCatalog Of(params IEngine[] engines) =>
        new(engines.ToDictionary(e => e.Kind, e => (Func<IEngine>)(() => e)));

    public IEngine For(EngineKind kind) =>
        _engines.TryGetValue(kind, out var engine)
            ? engine.Value
            : throw new InvalidOperationException($"this program was built without the {SpecNames.Of(kind)} engine");

    public void Dispose()
    {
        foreach (var engine in _engines.Values)
            if (engine.IsValueCreated && engine.Value is IDisposable disposable) disposable.Dispose();
    }
}
