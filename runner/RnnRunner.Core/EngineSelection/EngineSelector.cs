using System.Diagnostics;
using System.Globalization;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using Serilog;

namespace RnnRunner.Core.EngineSelection;

/// <summary>
/// Settles <c>engine: auto</c> before a run starts: among the engines that support every layer and the device here,
/// the one whose calibration (<see cref="EngineCalibration"/>) says trains an epoch fastest — a training step plus
/// the validation share of evaluation — measured once per machine and spec shape (<see cref="CalibrationKey"/>) and
/// cached. The run then proceeds on that engine as if the spec had named it: spec.resolved.yaml records it, so a
/// resume, evaluate or predict uses the same one; summary.json's <c>engine_choice</c> says how it was chosen.
/// </summary>
public sealed class EngineSelector(EngineCatalog engines, CalibrationCache cache, ILogger log)
{
    public (LoadedSpec Loaded, EngineChoice? Choice) Resolve(LoadedSpec loaded)
    {
        if (loaded.Spec.Engine != EngineKind.Auto) return (loaded, null);
        var choice = Choose(loaded);
        log.Information("engine auto: {Engine} ({Reason}; {Source})", choice.Chosen, choice.Reason,
            choice.FromCache ? $"calibrated {choice.CalibratedUtc:yyyy-MM-dd HH:mm} UTC, from the cache" : choice.Timings.Count > 0
                ? string.Create(CultureInfo.InvariantCulture, $"calibrated in {choice.CalibrationSeconds:F1} s") : "no calibration needed");
        return (loaded with { Spec = loaded.Spec with { Engine = choice.ChosenKind } }, choice);
    }

    private EngineChoice Choose(LoadedSpec loaded)
    {
        var (plan, device) = (loaded.Plan, loaded.Spec.Device);
        var key = CalibrationKey.Of(loaded, engines.Threads);
        // A cached choice is checked against its own engine only, so a scratch choice never loads libtorch.
        if (cache.Read(key) is { } cached && !engines.For(cached.ChosenKind).Problems(plan, device).Any())
            return cached with { FromCache = true, CalibrationSeconds = 0 };
        var problems = engines.ProblemsByEngine(plan, device);
        var candidates = problems.Where(p => p.Value.Count == 0).Select(p => p.Key).ToList();
        if (candidates.Count == 0)
            throw new InvalidOperationException(EngineCatalog.NoEngineMessage(problems));
        var names = candidates.Select(SpecNames.Of).ToList();
        if (candidates.Count == 1)
        {
            var others = string.Join("; ", problems.Where(p => p.Value.Count > 0).Select(p => $"{SpecNames.Of(p.Key)}: {p.Value[0].Message}"));
            return new EngineChoice(names[0], names, [], false, 0, DateTime.UtcNow, key, $"the only engine that runs this spec here ({others})");
        }
        var clock = Stopwatch.StartNew();
        var timings = candidates.Select(k => EngineCalibration.Time(engines.For(k), loaded)).ToList();
        var split = loaded.Spec.Training.ValidationSplit;
        var ranked = timings.OrderBy(t => t.Score(split)).ToList();
        var reason = string.Join(" against ", ranked.Select(t => string.Create(CultureInfo.InvariantCulture,
            $"{t.Engine} {t.TrainMilliseconds:G3} ms a step, {t.EvaluateMilliseconds:G3} ms an evaluation batch")));
        var choice = new EngineChoice(ranked[0].Engine, names, timings, false, Math.Round(clock.Elapsed.TotalSeconds, 2), DateTime.UtcNow, key,
            $"fastest: {reason}");
        cache.Write(choice);
        return choice;
    }
}
