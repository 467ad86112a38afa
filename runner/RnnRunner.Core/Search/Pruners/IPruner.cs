using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Search.Pruners;

/// <summary>
/// What a study asks its pruner, whichever it is: how far a new trial trains before a decision, whether a trial stops
/// for good after an epoch, and — when a worker is free — which paused trial continues. The scheduler and each trial's
/// gate ask only this; no caller branches on the kind.
/// </summary>
public interface IPruner
{
    /// <summary>The epochs a new trial trains before it pauses for a decision (ASHA's first rung); null: to the end.</summary>
    int? FirstStop { get; }

    /// <summary>The rung a trial that trained <paramref name="epochs"/> epochs has reached, for the journal; null without rungs.</summary>
    int? RungOf(int epochs);

    /// <summary>After an epoch short of the last: why the trial stops here for good, or null to go on.</summary>
    /// <param name="trials">Every trial of the study as the journal has them now (read only when the rule needs them).</param>
    string? PruneAfter(StudyTrial trial, int epoch, Func<IReadOnlyList<StudyTrial>> trials, Objective objective);

    /// <summary>When a worker is free: a paused trial to continue and the epoch it continues to; null for none.</summary>
    (StudyTrial Trial, int Target)? Promotion(IReadOnlyList<StudyTrial> trials, Objective objective);

    /// <summary>Why a trial still paused when the study ends was pruned.</summary>
    string PausedVerdict(StudyTrial trial);

    /// <summary>The rule in a line, for <c>search --dry-run</c> (empty for none).</summary>
    string Describe();
}

/// <summary>
/// The pruner registry: each <see cref="PrunerSpec"/> record's <see cref="IPruner"/>, marked
/// <c>[Implements(typeof(ThePrunerSpec))]</c> and built from (that record, the base spec's epochs). A study without a
/// pruner gets <see cref="NoPruner"/>.
/// </summary>
public static class Pruners
{
    private static readonly SpecRegistry<IPruner> Registry = new();

    /// <summary>The spec records a pruner is registered for.</summary>
    public static IReadOnlyCollection<Type> Specs => Registry.Specs;

    public static IPruner Create(PrunerSpec? spec, int maxEpochs) => spec is null ? NoPruner.Instance : Registry.Create(spec, maxEpochs);
}

/// <summary>Every trial trains to the end.</summary>
public sealed class NoPruner : IPruner
{
    public static readonly NoPruner Instance = new();

    public int? FirstStop => null;

    public int? RungOf(int epochs) => null;

    public string? PruneAfter(StudyTrial trial, int epoch, Func<IReadOnlyList<StudyTrial>> trials, Objective objective) => null;

    public (StudyTrial Trial, int Target)? Promotion(IReadOnlyList<StudyTrial> trials, Objective objective) => null;

    public string PausedVerdict(StudyTrial trial) => $"pruned after epoch {trial.Epochs}";

    public string Describe() => "";
}
