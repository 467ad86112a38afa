using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch;

namespace RnnRunner.Tests.Support;

/// <summary>One variant a <see cref="StandInEngine"/> offers: its training steps slowed by <paramref name="Delay"/>, its losses shifted by <paramref name="LossShift"/>.</summary>
public sealed record StandInVariant(EngineVariant Variant, TimeSpan Delay, double LossShift = 0);

/// <summary>
/// A stand-in engine for the engine-selection tests: the scratch engine's models, each variant's steps slowed and its
/// losses shifted as told, so a test decides which variant is fastest and which computes other numbers. It records
/// the variants it builds, and answers <see cref="Problem"/> for any spec when one is set (an engine that cannot run here).
/// </summary>
public sealed class StandInEngine(EngineKind kind, params StandInVariant[] variants) : IEngine
{
    private static readonly ScratchEngine Scratch = new(threads: 2);
    private readonly List<EngineVariant> built = [];

    /// <summary>An engine with one variant, every training step slowed by <paramref name="delay"/>.</summary>
    public static StandInEngine Delayed(EngineKind kind, TimeSpan delay, string? problem = null) =>
        new(kind, new StandInVariant(new EngineVariant(SpecNames.Of(kind), 2, "delayed"), delay)) { Problem = problem };

    public string? Problem { get; set; }

    /// <summary>The variants built so far, in order (the selector may build from more than one thread).</summary>
    public IReadOnlyList<EngineVariant> Built { get { lock (built) return [.. built]; } }
    public int Builds => Built.Count;

    public EngineKind Kind => kind;
    public IReadOnlyDictionary<string, string> Versions => Scratch.Versions;
    public string RecurrentKernels => Scratch.RecurrentKernels;
    public string? DeviceProblem(DeviceKind device) => Problem;
    public IEnumerable<PlanError> Problems(ModelPlan plan, DeviceKind device) =>
        Problem is { } problem ? [new PlanError("device", problem)] : ((IEngine)Scratch).Problems(plan, DeviceKind.Cpu);

    public EngineVariant DefaultVariant => variants[0].Variant;
    public IReadOnlyList<EngineVariant> Variants(ModelPlan plan, TrainingSpec training, DeviceKind device) => variants.Select(v => v.Variant).ToList();

    public ITrainableModel Build(ModelPlan plan, TrainingSpec training, DeviceKind device, int seed, EngineVariant? variant = null)
    {
        var chosen = variants.Single(v => v.Variant == (variant ?? DefaultVariant));
        lock (built) built.Add(chosen.Variant);
        return new SlowedModel(Scratch.Build(plan, training, DeviceKind.Cpu, seed), chosen.Delay, chosen.LossShift);
    }
}
