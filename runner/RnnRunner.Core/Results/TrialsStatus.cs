using RnnRunner.Core.Storage;

namespace RnnRunner.Core.Results;

/// <summary>Where a grid's or study's trial stands, as <c>rnnrunner status</c> shows it.</summary>
public enum TrialProgress { Done, Running, Interrupted, Paused, Pruned, Failed, Pending }

/// <param name="Holder">Who trains it now (from its run lock), for a running trial.</param>
public sealed record TrialStatusRow(string Trial, TrialProgress State, int Epochs, string? Holder, string? Message);

/// <summary>
/// The trials of a grid or study folder by state, from their summaries and run locks — for any folder, on a cluster
/// or not. A summary that says running while nobody holds the trial's lock is a trial whose process died:
/// interrupted (a rerun resumes it). Trials the grid's manifest lists that have no summary yet are pending.
/// </summary>
public static class TrialsStatus
{
    /// <param name="expected">Every trial the folder should hold (a grid's manifest); others are found under trials/.</param>
    public static IReadOnlyList<TrialStatusRow> Of(string folder, IReadOnlyList<string>? expected = null)
    {
        var trials = new GridFolder(folder).Trials;
        var found = Directory.Exists(trials)
            ? Directory.GetDirectories(trials).Select(Path.GetFileName).OfType<string>().Where(n => !n.StartsWith('.') && !n.EndsWith(".reusing", StringComparison.Ordinal))
            : [];
        var names = (expected ?? []).Concat(found).Distinct().Order(StringComparer.Ordinal);
        return names.Select(name => Row(name, Path.Combine(trials, name))).ToList();
    }

    private static TrialStatusRow Row(string name, string folder)
    {
        var summary = RunSummary.TryRead(RunFolder.At(folder).Summary, out var damage);
        if (summary is null)
            return new TrialStatusRow(name, damage is null ? TrialProgress.Pending : TrialProgress.Failed, 0, Holder(folder), damage);
        var state = summary.Status switch
        {
            RunStatus.Completed => TrialProgress.Done,
            RunStatus.Running => Holder(folder) is null ? TrialProgress.Interrupted : TrialProgress.Running,
            RunStatus.Interrupted => TrialProgress.Interrupted,
            RunStatus.Paused => TrialProgress.Paused,
            RunStatus.Pruned => TrialProgress.Pruned,
            _ => TrialProgress.Failed,
        };
        if (Holder(folder) is { } holder && state != TrialProgress.Done) state = TrialProgress.Running;
        return new TrialStatusRow(name, state, summary.EpochsRun, state == TrialProgress.Running ? Holder(folder) : null, summary.Message);
    }

    /// <summary>Who holds the trial's run lock, or null when nobody does (taken and let go at once to find out).</summary>
    private static string? Holder(string folder)
    {
        if (!Directory.Exists(folder)) return null;
        using var probe = RunLock.TryAcquire(folder, out var holder);
        return probe is null ? holder : null;
    }
}
