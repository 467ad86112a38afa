using System.Globalization;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Search.Pruners;

/// <summary>
/// Optuna's ThresholdPruner: after the warm-up, a trial whose latest value lies outside [lower, upper], or is not a
/// number, stops — it judges each trial on its own, so it works from the first trial on (the median rule needs others).
/// </summary>
[Implements(typeof(ThresholdPrunerSpec))]
public sealed record ThresholdRule(double? Lower, double? Upper, int WarmupEpochs) : IPruner
{
    public ThresholdRule(ThresholdPrunerSpec spec, int maxEpochs) : this(spec.Lower, spec.Upper, spec.WarmupEpochs) { }

    public int? FirstStop => null;

    public int? RungOf(int epochs) => null;

    public string? PruneAfter(StudyTrial trial, int epoch, Func<IReadOnlyList<StudyTrial>> trials, Objective objective)
    {
        if (epoch <= WarmupEpochs || !trial.Reported.TryGetValue(epoch, out var value)) return null;
        var why = double.IsNaN(value) ? "is not a number"
            : value < Lower ? string.Create(CultureInfo.InvariantCulture, $"is below the lower threshold {Lower:G6}")
            : value > Upper ? string.Create(CultureInfo.InvariantCulture, $"is above the upper threshold {Upper:G6}")
            : null;
        return why is null ? null : string.Create(CultureInfo.InvariantCulture, $"pruned after epoch {epoch}: {objective.Metric} {value:G6} {why}");
    }

    /// <summary>The rule decides after each epoch; it never pauses a trial.</summary>
    public (StudyTrial Trial, int Target)? Promotion(IReadOnlyList<StudyTrial> trials, Objective objective) => null;

    public string PausedVerdict(StudyTrial trial) => $"pruned after epoch {trial.Epochs}";

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"threshold pruning after {WarmupEpochs} warm-up epoch(s): a trial stops when its value leaves [{Lower?.ToString("G6", CultureInfo.InvariantCulture) ?? "-∞"}, {Upper?.ToString("G6", CultureInfo.InvariantCulture) ?? "∞"}]");
}
