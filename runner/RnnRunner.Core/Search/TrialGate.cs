using RnnRunner.Core.Search.Pruners;
using RnnRunner.Core.Training;

namespace RnnRunner.Core.Search;

/// <summary>
/// Watches one trial's epochs for its study: each epoch's objective goes into the journal (what pruners and samplers
/// read), and after the epoch whose checkpoint is the rung's, training stops — paused for ASHA, or pruned by the
/// median rule. Stopping is by <see cref="TrainingStoppedException"/>, after the checkpoint, so nothing is lost.
/// </summary>
public sealed class TrialGate(StudyJournal journal, LoadedStudy study, StudyTrial trial, int target, string worker) : ITrainingObserver
{
    /// <summary>
    /// A trial resumed after its worker died: the epochs its checkpoint holds that the journal missed (the worker died
    /// between the two) are reported now, and a trial whose checkpoint already reached its target pauses there rather
    /// than train past its rung — so an interrupted study ends exactly as an unbroken one.
    /// </summary>
    public void Resumed(IReadOnlyList<EpochMetrics> history)
    {
        var missed = history.Where(h => !trial.Reported.ContainsKey(h.Epoch) && h.Values.ContainsKey(study.Objective.Metric))
            .Select(h => new JournalRecord { Event = JournalEvent.Reported, Trial = trial.Number, Epoch = h.Epoch, Value = h.Values[study.Objective.Metric], Worker = worker })
            .ToArray();
        if (missed.Length > 0) journal.Append(missed);
        foreach (var r in missed) trial.Reported[r.Epoch!.Value] = r.Value!.Value;
        var done = history.Count == 0 ? 0 : history[^1].Epoch;
        if (done >= target && done < study.MaxEpochs) throw Paused(done);
    }

    public void EpochCompleted(EpochMetrics metrics, bool isBest)
    {
        if (!metrics.Values.TryGetValue(study.Objective.Metric, out var value)) return;
        journal.Append(new JournalRecord { Event = JournalEvent.Reported, Trial = trial.Number, Epoch = metrics.Epoch, Value = value, Worker = worker });
        trial.Reported[metrics.Epoch] = value;
        if (metrics.Epoch >= study.MaxEpochs) return; // the last epoch: the trial completes
        if (study.Pruner.PruneAfter(trial, metrics.Epoch, () => StudyState.Replay(journal.Read()).Trials, study.Objective) is { } reason)
            throw new TrainingStoppedException(metrics.Epoch, pruned: true, reason);
        if (metrics.Epoch >= target) throw Paused(metrics.Epoch); // short of the last epoch: only a pruner's stop is
    }

    private TrainingStoppedException Paused(int epoch) => new(epoch, pruned: false,
        $"paused at {(study.Pruner.RungOf(epoch) is { } rung ? $"rung {rung} " : "")}(epoch {epoch}); it continues from its checkpoint if promoted");
}
