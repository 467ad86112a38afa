using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Search;

/// <summary>What a free worker does next.</summary>
public abstract record StudyJob
{
    /// <summary>Train a newly sampled trial (from scratch) up to <paramref name="Target"/> epochs.</summary>
    public sealed record Start(StudyTrial Trial, LoadedSpec Spec, int Target) : StudyJob;

    /// <summary>Continue a trial from its checkpoint up to <paramref name="Target"/> epochs (a promotion, or an interrupted trial).</summary>
    public sealed record Continue(StudyTrial Trial, int Target, bool Promoted) : StudyJob;

    /// <summary>Nothing to start now, but other workers' trials are running and may lead to more (a promotion).</summary>
    public sealed record Wait : StudyJob;

    /// <summary>The study is finished: every trial sampled and ended, nothing left to promote.</summary>
    public sealed record Done(IReadOnlyList<StudyTrial> Pruned) : StudyJob;
}

/// <summary>
/// Decides, from the journal's records, what a free worker does next — and which records say so — in one step taken
/// under the journal's lock: resume a trial whose worker died, promote a paused trial (ASHA), sample a new one (a
/// sample the spec refuses is recorded and resampled), wait for others, or end the study.
/// </summary>
/// <param name="isOrphan">Whether a trial the journal says is running has no live worker (its folder's lock is free).</param>
/// <param name="claim">
/// Takes the trial's run lock for this worker, or says another has it. Claiming within the decision — under the
/// journal's lock — closes the gap in which another worker would see the trial recorded as running but unlocked.
/// </param>
public sealed class StudyScheduler(LoadedStudy study, string worker, Func<StudyTrial, bool> isOrphan, Func<StudyTrial, bool> claim)
{
    /// <summary>Refusals in a row after which the search space is reported as unusable.</summary>
    public const int MaxRefusalsInARow = 100;

    public (StudyJob Job, IReadOnlyList<JournalRecord> Append) Next(IReadOnlyList<JournalRecord> records)
    {
        var state = StudyState.Replay(records);
        var orphan = state.Trials.FirstOrDefault(t => (t.State == TrialState.Interrupted || t.State == TrialState.Running && isOrphan(t)) && claim(t));
        if (orphan is not null) return (new StudyJob.Continue(orphan, orphan.Target, Promoted: false), [Started(orphan, orphan.Target)]);
        if (study.Pruner.Promotion(state.Trials, study.Objective) is { } promotion)
            return claim(promotion.Trial)
                ? (new StudyJob.Continue(promotion.Trial, promotion.Target, Promoted: true), [Started(promotion.Trial, promotion.Target)])
                : (new StudyJob.Wait(), []);
        if (state.Trials.Count < study.Spec.Search.Trials) return Sample(state);
        if (state.Trials.Any(t => t.State == TrialState.Running)) return (new StudyJob.Wait(), []);
        var pruned = state.Trials.Where(t => t.State == TrialState.Paused).ToList();
        return (new StudyJob.Done(pruned), pruned.Select(t => new JournalRecord
        {
            Event = JournalEvent.Pruned, Trial = t.Number, Epoch = t.Epochs, Rung = study.Pruner.RungOf(t.Epochs), Worker = worker,
            Message = PrunedAtRung(t),
        }).ToList());
    }

    public string PrunedAtRung(StudyTrial trial) => study.Pruner.PausedVerdict(trial);

    /// <summary>The first trial of the study's stream of samples that the spec accepts; refusals are recorded on the way.</summary>
    private (StudyJob, IReadOnlyList<JournalRecord>) Sample(StudyState state)
    {
        var records = new List<JournalRecord>();
        var observations = state.Observations(study.Objectives);
        var sampler = study.Sampler();
        for (var sample = state.Samples; ; sample++)
        {
            var point = sampler.Sample(study.Space, sample, observations);
            var settings = study.Settings(point);
            var number = state.Trials.Count + 1;
            try
            {
                var spec = study.TrialSpec(number, point);
                var trial = new StudyTrial(number, sample, point, settings);
                if (!claim(trial)) return (new StudyJob.Wait(), records); // its folder is somebody's: never a new trial's
                var target = study.Pruner.FirstStop ?? study.MaxEpochs;
                records.Add(new JournalRecord { Event = JournalEvent.Sampled, Trial = number, Sample = sample, Point = point.Values, Settings = settings, Worker = worker });
                records.Add(Started(trial, target));
                return (new StudyJob.Start(trial, spec, target), records);
            }
            catch (SpecException e)
            {
                records.Add(new JournalRecord { Event = JournalEvent.Refused, Sample = sample, Point = point.Values, Settings = settings, Message = e.Errors[0].ToString(), Worker = worker });
                if (records.Count >= MaxRefusalsInARow)
                    throw new StudyException($"{MaxRefusalsInARow} samples in a row were refused by the spec; the search space mostly holds specs that "
                        + $"cannot run. The last: {e.Errors[0]}");
            }
        }
    }

    private JournalRecord Started(StudyTrial trial, int target) =>
        new() { Event = JournalEvent.Started, Trial = trial.Number, Epoch = target, Rung = study.Pruner.RungOf(target), Worker = worker };
}

/// <summary>A study that cannot go on: its space is refused, its folder belongs to another study.</summary>
public sealed class StudyException(string message) : Exception(message);
