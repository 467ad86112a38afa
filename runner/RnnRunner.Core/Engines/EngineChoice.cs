using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Engines;

/// <summary>
/// One variant's calibration: milliseconds per training step and per evaluation batch on the run's model, and the
/// loss of its second training step — after one update, so it checks the gradients as well as the forward pass.
/// </summary>
public sealed record EngineTiming(EngineVariant Variant, double TrainMilliseconds, double EvaluateMilliseconds, double SecondStepLoss)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string Engine => Variant.Engine;

    /// <summary>What an epoch costs per training batch: a step, plus the validation batches' share of evaluation.</summary>
    public double Score(double validationSplit) =>
        TrainMilliseconds + (validationSplit is > 0 and < 1 ? validationSplit / (1 - validationSplit) : 0) * EvaluateMilliseconds;
}

/// <summary>
/// How a run's engine variant was settled (summary.json's <c>engine_choice</c>): for <c>engine: auto</c> the engine
/// and its variant, for a pinned engine with more than one way to run the spec the variant; the timings it was
/// chosen by, the variants left out because they disagreed with their engine's default, and whether the timings
/// were measured now or found in the calibration cache.
/// </summary>
/// <param name="Chosen">The engine chosen (its spec name).</param>
/// <param name="Variant">The engine variant chosen: threads and recurrent kernels.</param>
/// <param name="Candidates">The engines that support every layer of the model and its device here.</param>
/// <param name="Timings">Each variant's calibration; empty when there was only one to run.</param>
/// <param name="Disagreeing">Variants whose second-step loss differed from their engine's default one: never chosen.</param>
/// <param name="CalibrationSeconds">What this run spent calibrating (0 when the cache answered).</param>
/// <param name="Key">The cache key: this machine's fingerprint and the spec's shape, hashed.</param>
public sealed record EngineChoice(string Chosen, EngineVariant Variant, IReadOnlyList<string> Candidates, IReadOnlyList<EngineTiming> Timings,
    IReadOnlyList<EngineVariant> Disagreeing, bool FromCache, double CalibrationSeconds, DateTime CalibratedUtc, string Key, string Reason)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public EngineKind ChosenKind => Variant.Kind;

    /// <summary>
    /// The share of the machine's CPU other processes took while the timings were measured (0 quiet). A choice measured
    /// on a busy machine (more than a quarter) is used for its run but never cached: it measured the neighbours.
    /// </summary>
    public double? OthersCpuShare { get; init; }
}
