using RnnRunner.Core.Results;

namespace RnnRunner.Core.Search;

/// <summary>
/// A study's journal checked against its trials' own folders before a report or a "best" is drawn from it. The journal
/// is a plain text file any hand can edit; each trial's summary.json carries a checksum and its metrics.csv is what the
/// run itself wrote. Where they disagree — a pruned trial recorded as completed, a value no epoch reached — the trial
/// folder is believed, and the disagreement is named in a warning.
/// </summary>
public static class TrialFolderCheck
{
    public static StudyState Apply(StudyState state, string studyFolder, IReadOnlyList<Objective> objectives, Action<string> warn)
    {
        var objective = objectives[0];
        foreach (var trial in state.Trials)
        {
            var trialFolder = StudyRunner.TrialFolder(studyFolder, trial);
            var folder = RunFolder.At(trialFolder);
            if (RunSummary.TryRead(folder.Summary, out _) is not { } summary) continue;
            var recorded = StateOf(summary.Status);
            if (recorded != trial.State && !(trial.State == TrialState.Running && recorded == TrialState.Interrupted))
            {
                warn($"{trial.Name}: the journal says {Name(trial.State)}, its folder says {Name(recorded)}; the folder is believed");
                trial.State = recorded;
            }
            // A completed trial whose further objectives the journal lacks (its worker died before recording them) is measured now.
            if (objectives.Count > 1 && trial.State == TrialState.Completed && trial.Measured is null)
                trial.Measured = objectives.Select(o => o.Measure(trialFolder)).ToList();
            // A trial still training (or cut off) may be an epoch ahead of its journal or behind it: only ended ones are compared.
            if (recorded == TrialState.Interrupted || ReportedIn(folder, objective) is not { } reported) continue;
            if (!reported.OrderBy(r => r.Key).SequenceEqual(trial.Reported.OrderBy(r => r.Key)))
            {
                warn($"{trial.Name}: the journal's {objective.Metric} values differ from its metrics.csv; the metrics are believed");
                trial.Reported.Clear();
                foreach (var (epoch, value) in reported) trial.Reported[epoch] = value;
            }
        }
        return state;
    }

    private static TrialState StateOf(RunStatus status) => status switch
    {
        RunStatus.Completed => TrialState.Completed,
        RunStatus.Pruned => TrialState.Pruned,
        RunStatus.Paused => TrialState.Paused,
        RunStatus.Failed or RunStatus.Diverged => TrialState.Failed,
        _ => TrialState.Interrupted,
    };

    /// <summary>The objective after each epoch, as the trial's metrics.csv has it; null when it has none or cannot be read.</summary>
    private static Dictionary<int, double>? ReportedIn(RunFolder folder, Objective objective)
    {
        if (!File.Exists(folder.Metrics)) return null;
        try
        {
            return MetricsCsv.Read(folder.Metrics).Where(r => r.Values.ContainsKey(objective.Metric))
                .ToDictionary(r => r.Epoch, r => r.Values[objective.Metric]);
        }
        catch (Exception e) when (e is IOException or FormatException or CsvHelper.CsvHelperException or ArgumentException)
        {
            return null;
        }
    }

    private static string Name(TrialState state) => state.ToString().ToLowerInvariant();
}
