using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Engines;

/// <summary>One engine's calibration: milliseconds per training step and per evaluation batch on the run's model.</summary>
public sealed record EngineTiming(string Engine, double TrainMilliseconds, double EvaluateMilliseconds)
{
    /// <summary>What an epoch costs per training batch: a step, plus the validation batches' share of evaluation.</summary>
    public double Score(double validationSplit) =>
        TrainMilliseconds + (validationSplit is > 0 and < 1 ? validationSplit / (1 - validationSplit) : 0) * EvaluateMilliseconds;
}

/// <summary>
/// How <c>engine: auto</c> was settled for a run (summary.json's <c>engine_choice</c>): the engine chosen, the
/// timings it was chosen by, and whether they were measured now or found in the calibration cache.
/// </summary>
/// <param name="Candidates">The engines that support every layer of the model and its device here.</param>
/// <param name="Timings">Each candidate's calibration; empty when only one engine could run the spec.</param>
/// <param name="CalibrationSeconds">What this run spent calibrating (0 when the cache answered).</param>
/// <param name="Key">The cache key: this machine's fingerprint and the spec's shape, hashed.</param>
public sealed record EngineChoice(string Chosen, IReadOnlyList<string> Candidates, IReadOnlyList<EngineTiming> Timings,
    bool FromCache, double CalibrationSeconds, DateTime CalibratedUtc, string Key, string Reason)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public EngineKind ChosenKind => Enum.GetValues<EngineKind>().First(k => SpecNames.Of(k) == Chosen);
}
