using System.Diagnostics;
using System.Globalization;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using Serilog;

namespace RnnRunner.Core.EngineSelection;

/// <summary>
/// Settles how a run computes before it starts. <c>engine: auto</c>: among the engines that support every layer
/// and the device here, the variant (<see cref="EngineVariant"/>: threads, recurrent kernels) that trains an epoch
/// fastest — a training step plus the validation share of evaluation. A pinned engine that offers several variants
/// for the spec (torch: all cores or one thread) gets the same choice among its own, once its steps are long enough
/// for the difference to matter (<see cref="MinimumStepToTune"/>). A variant is chosen only if its second training
/// step's loss agrees with its engine's default (<see cref="EngineCalibration"/>), so settings that compute other
/// numbers on this CPU are never picked for speed. Measured once per machine and spec shape
/// (<see cref="CalibrationKey"/>) and cached. spec.resolved.yaml records the engine, summary.json's
/// <c>engine_choice</c> the variant and why; a resume trains on the same variant.
/// </summary>
public sealed class EngineSelector(EngineCatalog engines, CalibrationCache cache, ILogger log)
{
    /// <summary>
    /// A pinned engine's default variant must take this long a training step before its variants are timed:
    /// calibrating costs a few steps of each, which shorter steps (a run of a few thousand in under a minute) never
    /// earn back.
    /// </summary>
    public const double MinimumStepToTune = 25;

    /// <summary>Other processes taking more than this share of the machine's CPU during a calibration make it unfit to cache.</summary>
    public const double BusyShare = 0.25;

    /// <summary>
    /// The shortest calibration whose others' share can call the machine busy: /proc/stat counts in 10 ms ticks while
    /// this process's CPU time is exact, so over a few ticks rounding alone reads as a neighbour (one stray tick in a
    /// 30 ms calibration on 2 cores is 17 %). Real calibrations take a second or two; stand-in ones in tests, milliseconds.
    /// </summary>
    public static readonly TimeSpan MinimumBusyWindow = TimeSpan.FromSeconds(0.25);

    /// <summary>The spec with its engine settled, and how (null: a pinned engine's default, nothing to choose or worth choosing).</summary>
    public (LoadedSpec Loaded, EngineChoice? Choice) Resolve(LoadedSpec loaded)
    {
        var (kind, plan, device) = (loaded.Spec.Engine, loaded.Plan, loaded.Spec.Device);
        var pinned = kind != EngineKind.Auto;
        if (pinned && engines.For(kind).Variants(plan, loaded.Spec.Training, device).Count == 1) return (loaded, null);
        var key = CalibrationKey.Of(loaded, engines.Threads, engines.Switches);
        // A cached choice is checked against its own engine only, so a scratch choice never loads libtorch.
        var choice = cache.Read(key) is { } cached && !engines.For(cached.ChosenKind).Problems(plan, device).Any()
            ? cached with { FromCache = true, CalibrationSeconds = 0 }
            : null;
        if (choice is null)
        {
            if (pinned && !LongEnough(engines.For(kind), loaded)) return (loaded, null);
            choice = Calibrate(loaded, key);
        }
        // One short line for everyone; the timings behind a choice are in summary.json and at --verbose.
        var timed = choice.Timings.Count - choice.Disagreeing.Count;
        log.Information("engine {Engine}: {Variant} ({Reason}; {Source})", SpecNames.Of(kind), choice.Variant,
            choice.Timings.Count > 1 ? $"the fastest of {timed} variants" : choice.Reason,
            choice.FromCache ? $"calibrated {choice.CalibratedUtc:yyyy-MM-dd HH:mm} UTC, from the cache" : choice.Timings.Count > 0
                ? string.Create(CultureInfo.InvariantCulture, $"calibrated in {choice.CalibrationSeconds:F1} s") : "no calibration needed");
        if (choice.Timings.Count > 1) log.Debug("engine choice: {Reason}", choice.Reason);
        return (loaded with { Spec = loaded.Spec with { Engine = choice.ChosenKind } }, choice);
    }

    /// <summary>
    /// Times every candidate variant and keeps the fastest of those that agree with their engine's default; caches it.
    /// </summary>
    private EngineChoice Calibrate(LoadedSpec loaded, string key)
    {
        var (names, variants, only) = Candidates(loaded);
        if (variants.Count == 1)
            return new EngineChoice(variants[0].Engine, variants[0], names, [], [], false, 0, DateTime.UtcNow, key, only!);
        var clock = Stopwatch.StartNew();
        var load = CpuClock.Start();
        var timings = variants.Select(v => EngineCalibration.Time(engines.For(v.Kind), loaded, v)).ToList();
        var others = load.Elapsed().OthersShare;
        var disagreeing = timings.Where(t => !EngineCalibration.Agrees(t, timings.First(d => d.Engine == t.Engine))).ToList();
        foreach (var t in disagreeing)
            log.Warning("{Variant} computes another loss than its engine's default on this machine ({Loss} against {Reference}): not used",
                t.Variant, t.SecondStepLoss, timings.First(d => d.Engine == t.Engine).SecondStepLoss);
        var split = loaded.Spec.Training.ValidationSplit;
        var ranked = timings.Except(disagreeing).OrderBy(t => t.Score(split)).ToList();
        var reason = "fastest: " + string.Join(" against ", ranked.Select(t => string.Create(CultureInfo.InvariantCulture,
            $"{t.Variant} {t.TrainMilliseconds:G3} ms a step, {t.EvaluateMilliseconds:G3} ms an evaluation batch")));
        var choice = new EngineChoice(ranked[0].Engine, ranked[0].Variant, names, timings, disagreeing.Select(t => t.Variant).ToList(),
            false, Math.Round(clock.Elapsed.TotalSeconds, 2), DateTime.UtcNow, key, reason)
        { OthersCpuShare = others is { } o ? Math.Round(o, 2) : null };
        if (others > BusyShare && clock.Elapsed >= MinimumBusyWindow)
            log.Warning("the machine was busy while calibrating (other processes took {Share:P0} of its CPU): this choice is used for this run only, not cached", others);
        else cache.Write(choice);
        return choice;
    }

    /// <summary>
    /// Whether a pinned engine's steps on this spec are long enough for a choice among its variants to pay: the
    /// quickest of three steps of its default tells (tiny models cost milliseconds to rule out, and are not cached).
    /// </summary>
    private static bool LongEnough(IEngine engine, LoadedSpec loaded) =>
        EngineCalibration.QuickStep(engine, loaded, engine.DefaultVariant) >= MinimumStepToTune;

    /// <summary>
    /// The engines that can run the spec here and the variants to time, each engine's default first; when only one
    /// variant is left, why.
    /// </summary>
    private (List<string> Engines, List<EngineVariant> Variants, string? Only) Candidates(LoadedSpec loaded)
    {
        var (plan, device) = (loaded.Plan, loaded.Spec.Device);
        if (loaded.Spec.Engine != EngineKind.Auto)
            return ([SpecNames.Of(loaded.Spec.Engine)], engines.For(loaded.Spec.Engine).Variants(plan, loaded.Spec.Training, device).ToList(), "the engine's only variant");
        var problems = engines.ProblemsByEngine(plan, device);
        var kinds = problems.Where(p => p.Value.Count == 0).Select(p => p.Key).ToList();
        if (kinds.Count == 0)
            throw new InvalidOperationException(EngineCatalog.NoEngineMessage(problems));
        var others = string.Join("; ", problems.Where(p => p.Value.Count > 0).Select(p => $"{SpecNames.Of(p.Key)}: {p.Value[0].Message}"));
        return (kinds.Select(SpecNames.Of).ToList(), kinds.SelectMany(k => engines.For(k).Variants(plan, loaded.Spec.Training, device)).ToList(),
            $"the only engine that runs this spec here ({others})");
    }
}
