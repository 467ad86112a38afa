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
}

/// <summary>Marks an <see cref="IPruner"/> as the one <c>search.pruner.type: &lt;kind&gt;</c> names; it is built from (PrunerSpec, max epochs).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PrunesAttribute(PrunerKind kind) : Attribute
{
    public PrunerKind Kind { get; } = kind;
}

/// <summary>
/// The pruner registry: every <see cref="IPruner"/> marked <see cref="PrunesAttribute"/>, by kind. A study without a
/// pruner gets <see cref="NoPruner"/>; a kind nobody registered is an error here, never another pruner.
/// </summary>
public static class Pruners
{
    private static readonly IReadOnlyDictionary<PrunerKind, Type> Registered = MarkedTypes.By<PrunesAttribute, PrunerKind>(typeof(Pruners).Assembly, mark => mark.Kind);

    public static IReadOnlyCollection<PrunerKind> Kinds => [.. Registered.Keys];

    public static IPruner Create(PrunerSpec? spec, int maxEpochs) =>
        spec is null ? NoPruner.Instance
        : Registered.TryGetValue(spec.Type, out var type) ? (IPruner)Activator.CreateInstance(type, spec, maxEpochs)!
        : throw new InvalidOperationException($"no pruner is registered for search.pruner.type '{spec.Type}' (mark one with [Prunes(PrunerKind.{spec.Type})])");
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
}
