using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Search.Pruners;

/// <summary>
/// Asynchronous successive halving (Li et al. 2020): rungs at min_epochs·ηᵏ epochs, the last one all of the spec's
/// epochs. Every trial trains to the first rung and pauses there; whenever a worker is free it promotes the best
/// paused trial that is in the top 1/η of everything its rung has seen (looking at the highest rungs first), and only
/// when there is none does it start a new trial. A promoted trial continues from its checkpoint. Decisions never wait
/// for a rung to fill, so workers never idle.
/// </summary>
[Implements(typeof(AshaPrunerSpec))]
public sealed record AshaRungs(int MinEpochs, int ReductionFactor, int MaxEpochs) : IPruner
{
    public AshaRungs(AshaPrunerSpec spec, int maxEpochs) : this(spec.MinEpochs, spec.ReductionFactor, maxEpochs) { }

    public int? FirstStop => Epochs[0];

    int? IPruner.RungOf(int epochs) => RungOf(epochs);

    /// <summary>ASHA never stops a trial mid-rung: it pauses at each rung and promotes the best.</summary>
    public string? PruneAfter(StudyTrial trial, int epoch, Func<IReadOnlyList<StudyTrial>> trials, Objective objective) => null;

    public string PausedVerdict(StudyTrial trial) =>
        $"pruned at rung {RungOf(trial.Epochs)} (epoch {trial.Epochs}): not in the top 1/{ReductionFactor} of its rung";

    public string Describe() => $"asha rungs at epochs {string.Join(", ", Epochs)}; the top 1/{ReductionFactor} continue";

    /// <summary>Each rung's epochs, in order; the last is <see cref="MaxEpochs"/>.</summary>
    public IReadOnlyList<int> Epochs
    {
        get
        {
            var rungs = new List<int>();
            for (long r = MinEpochs; r < MaxEpochs; r *= ReductionFactor) rungs.Add((int)r);
            rungs.Add(MaxEpochs);
            return rungs;
        }
    }

    /// <summary>The rung a trial that trained <paramref name="epochs"/> epochs has reached (-1 for none).</summary>
    public int RungOf(int epochs) => Epochs.Count(r => r <= epochs) - 1;

    /// <summary>The paused trial to promote now, with the epoch it continues to; null when none may go on.</summary>
    public (StudyTrial Trial, int Target)? Promotion(IReadOnlyList<StudyTrial> trials, Objective objective)
    {
        var rungs = Epochs;
        for (var k = rungs.Count - 2; k >= 0; k--)
        {
            var reached = trials.Where(t => t.State != TrialState.Failed && t.Epochs >= rungs[k])
                .OrderBy(t => t.BestUpTo(rungs[k], objective)).ThenBy(t => t.Number).ToList();
            var top = reached.Take(reached.Count / ReductionFactor);
            var promotable = top.FirstOrDefault(t => t.State == TrialState.Paused && t.Epochs == rungs[k]);
            if (promotable is not null) return (promotable, rungs[k + 1]);
        }
        return null;
    }
}

/// <summary>
/// The median rule (as Optuna's MedianPruner): after the warm-up, a trial whose best value so far is worse than the
/// median of the other trials' best values up to the same epoch is stopped — once at least min_trials others got there.
/// </summary>
[Implements(typeof(MedianPrunerSpec))]
public sealed record MedianRule(int WarmupEpochs, int MinTrials) : IPruner
{
    public MedianRule(MedianPrunerSpec spec, int maxEpochs) : this(spec.WarmupEpochs, spec.MinTrials) { }

    public int? FirstStop => null;

    public int? RungOf(int epochs) => null;

    public string? PruneAfter(StudyTrial trial, int epoch, Func<IReadOnlyList<StudyTrial>> trials, Objective objective) =>
        epoch <= WarmupEpochs ? null : ShouldPrune(trial, epoch, trials(), objective);

    /// <summary>The median rule decides after each epoch; it never pauses a trial.</summary>
    public (StudyTrial Trial, int Target)? Promotion(IReadOnlyList<StudyTrial> trials, Objective objective) => null;

    public string PausedVerdict(StudyTrial trial) => $"pruned after epoch {trial.Epochs}";

    public string Describe() => $"median pruning after {WarmupEpochs} warm-up epoch(s), once {MinTrials} other trials reached an epoch";

    /// <summary>Why the trial should stop after <paramref name="epoch"/>, or null to go on.</summary>
    public string? ShouldPrune(StudyTrial trial, int epoch, IReadOnlyList<StudyTrial> trials, Objective objective)
    {
        if (epoch <= WarmupEpochs || trial.BestUpTo(epoch, objective) is not { } mine) return null;
        var others = trials.Where(t => t.Number != trial.Number && t.Epochs >= epoch && t.BestUpTo(epoch, objective) is not null)
            .Select(t => t.BestUpTo(epoch, objective)!.Value).Order().ToList();
        if (others.Count < MinTrials) return null;
        var median = others.Count % 2 == 1 ? others[others.Count / 2] : (others[others.Count / 2 - 1] + others[others.Count / 2]) / 2;
        return mine > median
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"pruned after epoch {epoch}: {objective.Metric} best so far {objective.Oriented(mine):G6} is worse than the median {objective.Oriented(median):G6} of {others.Count} other trials")
            : null;
    }
}
