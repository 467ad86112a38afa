using RnnRunner.Core.Training;

namespace RnnRunner.Core.Search;

/// <summary>
/// Watches one trial's epochs for its study: each epoch's objective goes into the journal (what pruners and samplers
/// read), and after the epoch whose checkpoint is the rung's, training stops — paused for ASHA, or pruned by the
/// median rule. Stopping is by <see cref="TrainingStoppedException"/>, after the checkpoint, so nothing is lost.
/// </summary>
public sealed class TrialGate(StudyJournal journal, LoadedStudy study, StudyTrial trial, int target, string worker) : ITrainingObserver
{
    public void EpochCompleted(EpochMetrics metrics, bool isBest)
    {
        if (!metrics.Values.TryGetValue(study.Objective.Metric, out var value)) return;
        journal.Append(new JournalRecord { Event = JournalEvent.Reported, Trial = trial.Number, Epoch = metrics.Epoch, Value = value, Worker = worker });
        trial.Reported[metrics.Epoch] = value;
        if (metrics.Epoch >= study.MaxEpochs) return; // the last epoch: the trial completes
        if (study.Spec.Search.Pruner is { Type: Specs.PrunerKind.Median } median)
        {
            var others = StudyState.Replay(journal.Read()).Trials;
            if (new MedianRule(median.WarmupEpochs, median.MinTrials).ShouldPrune(trial, metrics.Epoch, others, study.Objective) is { } reason)
                throw new TrainingStoppedException(metrics.Epoch, pruned: true, reason);
        }
        if (metrics.Epoch >= target && study.Rungs is { } rungs)
            throw new TrainingStoppedException(metrics.Epoch, pruned: false,
                $"paused at rung {rungs.RungOf(metrics.Epoch)} (epoch {metrics.Epoch}); it continues from its checkpoint if promoted");
    }
}
