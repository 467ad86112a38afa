using System.Text.Json;
using RnnRunner.Core.Comparisons;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Storage;
using RnnRunner.Core.Training;
using Serilog;

namespace RnnRunner.Core.Grids;

public sealed record GridOptions(string ResultsRoot)
{
    /// <summary>Stop at the first trial that does not complete.</summary>
    public bool FailFast { get; init; }
    /// <summary>Continue this grid folder instead of the latest one of the same grid.</summary>
    public string? ResumeFolder { get; init; }
    public Func<DateTime> UtcNow { get; init; } = () => DateTime.UtcNow;
    /// <summary>Trials run side by side (the executor must isolate them, e.g. in child processes).</summary>
    public int Jobs { get; init; } = 1;
    /// <summary>Run only every Count-th trial starting at Index (1-based), as one job of a cluster array.</summary>
    public (int Index, int Count)? Shard { get; init; }
    /// <summary>Write the comparison when done; array tasks leave it to one report job (<c>compare</c>) instead of each rewriting it.</summary>
    public bool WriteReport { get; init; } = true;
}

public sealed record TrialOutcome(Trial Trial, string Folder, RunSummary Summary, bool Skipped);

/// <summary>Runs (or resumes) one trial into its folder and returns how it ended.</summary>
public interface ITrialExecutor
{
    RunSummary Run(Trial trial, string folder, bool resume, CancellationToken cancellation);
}

/// <summary>Trials in this process, one at a time (libtorch's random generator is process-wide).</summary>
public sealed class InProcessTrials(Func<ExperimentRun> newRun, RunOptions options) : ITrialExecutor
{
    public RunSummary Run(Trial trial, string folder, bool resume, CancellationToken cancellation) => (resume
        ? newRun().Resume(RunFolder.Open(folder), options, cancellation)
        : newRun().ExecuteIn(RunFolder.CreateAt(folder), trial.Spec, options, cancellation)).Summary;
}

/// <param name="Busy">Trials another live process was training (a second grid, another shard): left to it.</param>
/// <param name="Comparison">The grid's comparison as written after this run (every trial finished so far, from every shard).</param>
public sealed record GridOutcome(string Folder, IReadOnlyList<TrialOutcome> Trials, bool Interrupted, IReadOnlyList<string> Busy, Comparison Comparison);

/// <summary>
/// Runs a grid's trials one after another into <c>results/&lt;grid&gt;/&lt;NNN&gt;-&lt;timestamp&gt;/trials/&lt;trial&gt;/</c>.
/// Running the same grid again continues its latest folder: completed trials are skipped, interrupted ones
/// resume from their checkpoint, failed ones run again. One failing trial does not stop the others.
/// </summary>
public sealed class GridRunner(ITrialExecutor executor, ILogger log, IComparisonChartWriter? charts = null)
{
    public GridOutcome Run(ExpandedGrid grid, GridOptions options, CancellationToken cancellation = default)
    {
        var folder = ChooseFolder(grid, options);
        GridManifest.Of(grid).Write(folder);
        log.Information("Grid {Grid}: {Trials} trials in {Folder}", grid.Spec.Name, grid.Trials.Count, folder);

        var mine = TrialsOf(grid, options.Shard);
        var earlier = CompletedElsewhere(grid, options, folder);
        var reused = 0;
        var results = new TrialOutcome?[mine.Count];
        var interrupted = false;
        var startNoMore = false; // set by an interruption or, with --fail-fast, a failure; running trials finish
        using var slots = new SemaphoreSlim(Math.Max(1, options.Jobs));
        var tasks = new List<Task>();
        var busy = new List<string>();
        for (var i = 0; i < mine.Count; i++)
        {
            var (index, trial) = (i, mine[i]);
            var trialFolder = new GridFolder(folder).Trial(trial.Name);
            // Claim the trial before looking at it: two grids or shards never train (or delete) the same trial.
            var claim = RunLock.TryAcquire(trialFolder, out var holder);
            if (claim is null)
            {
                log.Warning("Trial {Index}/{Count} {Trial}: being run by {Holder}; left to it", index + 1, mine.Count, trial.Name, holder);
                busy.Add($"{trial.Name} ({holder})");
                continue;
            }
            if (!File.Exists(RunFolder.At(trialFolder).Summary) && earlier.TryGetValue(trial.Identity, out var done) && Reuse(done, trialFolder))
            {
                reused++;
                log.Information("Trial {Index}/{Count} {Trial}: the same spec completed in {Earlier}; reused, not retrained",
                    index + 1, mine.Count, trial.Name, done);
            }
            var previous = RunSummary.TryRead(RunFolder.At(trialFolder).Summary, out var damage);
            if (damage is not null) log.Warning("Trial {Trial}: {Problem}; it runs again", trial.Name, damage);
            if (previous?.Status == RunStatus.Completed)
            {
                claim.Dispose();
                log.Information("Trial {Index}/{Count} {Trial}: already completed, skipped", index + 1, mine.Count, trial.Name);
                results[index] = new TrialOutcome(trial, trialFolder, previous, Skipped: true);
                continue;
            }
            slots.Wait(CancellationToken.None);
            if (startNoMore || cancellation.IsCancellationRequested) { slots.Release(); claim.Dispose(); break; }
            var resume = previous?.Status is RunStatus.Interrupted or RunStatus.Running && HasCheckpoint(trialFolder);
            log.Information("Trial {Index}/{Count} {Trial}{Resume}", index + 1, mine.Count, trial.Name, resume ? " (resuming)" : "");
            tasks.Add(Task.Run(() =>
            {
                try
                {
                    var summary = executor.Run(trial, trialFolder, resume, cancellation);
                    results[index] = new TrialOutcome(trial, trialFolder, summary, Skipped: false);
                    if (summary.Status == RunStatus.Interrupted) { interrupted = true; startNoMore = true; }
                    else if (summary.Status != RunStatus.Completed)
                    {
                        log.Warning("Trial {Trial} {Status}: {Message}", trial.Name, summary.Status, summary.Message);
                        if (options.FailFast) startNoMore = true;
                    }
                }
                finally
                {
                    claim.Dispose();
                    slots.Release();
                }
            }, CancellationToken.None));
            if (options.Jobs <= 1) tasks[^1].Wait(CancellationToken.None); // one at a time: keep the log in order
        }
        Task.WaitAll(tasks.ToArray(), CancellationToken.None);
        var outcomes = results.OfType<TrialOutcome>().ToList();
        if (reused > 0) log.Information("Reused {Reused} completed trial(s) from this grid's earlier folders", reused);

        // Shards share the folder: compare every trial finished so far, so the last shard leaves the full table.
        var compared = options.Shard is null ? outcomes : FinishedTrials(grid, folder);
        var runs = compared.Select(o => new ComparedRun(o.Trial.Name, o.Trial.Group, o.Folder, o.Summary, RunSettings.Read(o.Folder))).ToList();
        var comparison = options.WriteReport ? ComparisonReport.Write(folder, Header(grid, compared.Count), runs, charts) : Comparison.Of(runs, folder);
        return new GridOutcome(folder, outcomes, interrupted, busy, comparison);
    }

    /// <summary>The trials a shard runs — every Count-th from Index (1-based) — or all of them without a shard.</summary>
    public static List<Trial> TrialsOf(ExpandedGrid grid, (int Index, int Count)? shard) =>
        grid.Trials.Where((_, i) => shard is not { } s || i % s.Count == s.Index - 1).ToList();

    /// <summary>
    /// The folder a run of this grid would use, without creating anything: the shards' shared folder, the one given,
    /// the latest folder of this same grid, or null for a new one.
    /// </summary>
    public static string? PlannedFolder(ExpandedGrid grid, GridOptions options)
    {
        if (options.Shard is not null && options.ResumeFolder is null) return SharedFolderPath(grid, options.ResultsRoot);
        if (options.ResumeFolder is { } given) return Path.GetFullPath(given);
        var parent = Path.Combine(options.ResultsRoot, grid.Spec.Name);
        return Directory.Exists(parent)
            ? Directory.GetDirectories(parent).Order(StringComparer.Ordinal).Reverse()
                .FirstOrDefault(d => GridFolder.IsGrid(d) && GridManifest.TryRead(d)?.Identity == grid.Identity)
            : null;
    }

    /// <summary>Where every shard of a grid meets: the same name for the same grid, so array jobs meet without talking.</summary>
    public static string SharedFolderPath(ExpandedGrid grid, string resultsRoot) =>
        Path.GetFullPath(Path.Combine(resultsRoot, grid.Spec.Name, $"shared-{grid.Identity}"));

    private static ReportHeader Header(ExpandedGrid grid, int finished) => new($"Grid {grid.Spec.Name}",
        (grid.Spec.Description.Length > 0 ? grid.Spec.Description.Trim() + " " : "")
        + $"{finished} of {grid.Trials.Count} trials of {Path.GetFileName(grid.SourcePath)} finished.");

    /// <summary>
    /// Completed trials of this grid's other folders (an edited grid file starts a new folder), by trial identity —
    /// the hash of the fully resolved spec, so a match is the very same experiment. The latest folder wins.
    /// </summary>
    private Dictionary<string, string> CompletedElsewhere(ExpandedGrid grid, GridOptions options, string folder)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var parent = Path.Combine(options.ResultsRoot, grid.Spec.Name);
        if (!Directory.Exists(parent)) return found;
        foreach (var other in Directory.GetDirectories(parent).Order(StringComparer.Ordinal).Reverse())
        {
            if (Path.GetFullPath(other) == Path.GetFullPath(folder) || !GridFolder.IsGrid(other)) continue;
            foreach (var trial in GridManifest.TryRead(other)?.Trials ?? [])
            {
                var trialFolder = new GridFolder(other).Trial(trial.Name);
                if (!found.ContainsKey(trial.Identity) && RunSummary.TryRead(RunFolder.At(trialFolder).Summary, out _)?.Status == RunStatus.Completed)
                    found[trial.Identity] = trialFolder;
            }
        }
        return found;
    }

    /// <summary>Copies a completed trial folder into this grid (beside, then renamed into place: never half there).</summary>
    private bool Reuse(string from, string trialFolder)
    {
        var staging = trialFolder + ".reusing";
        try
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            CopyFolder(from, staging);
            if (Directory.Exists(trialFolder)) Directory.Delete(trialFolder, recursive: true); // an empty or summary-less leftover
            Directory.Move(staging, trialFolder);
            return true;
        }
        catch (IOException e)
        {
            log.Warning("Could not reuse {From}: {Message}; the trial runs", from, e.Message);
            return false;
        }
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var sub in Directory.GetDirectories(from)) CopyFolder(sub, Path.Combine(to, Path.GetFileName(sub)));
    }

    private static bool HasCheckpoint(string trialFolder) =>
        Directory.Exists(trialFolder) && Checkpoint.Exists(RunFolder.Open(trialFolder));

    /// <summary>Every trial of the grid with a readable summary (a damaged one is left out: that trial reruns next time).</summary>
    private List<TrialOutcome> FinishedTrials(ExpandedGrid grid, string folder)
    {
        var finished = new List<TrialOutcome>();
        foreach (var trial in grid.Trials)
        {
            var trialFolder = new GridFolder(folder).Trial(trial.Name);
            var summary = RunSummary.TryRead(RunFolder.At(trialFolder).Summary, out var damage);
            if (damage is not null) log.Warning("Trial {Trial}: {Problem}; left out of the comparison", trial.Name, damage);
            if (summary is not null) finished.Add(new TrialOutcome(trial, trialFolder, summary, Skipped: true));
        }
        return finished;
    }

    private static string SharedFolder(ExpandedGrid grid, GridOptions options)
    {
        var folder = SharedFolderPath(grid, options.ResultsRoot);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The folder given, else the latest folder of this same grid (same identity), else a new one.</summary>
    private static string ChooseFolder(ExpandedGrid grid, GridOptions options)
    {
        if (options.Shard is not null && options.ResumeFolder is null) return SharedFolder(grid, options);
        if (options.ResumeFolder is { } given)
        {
            var manifest = new GridFolder(given).Manifest;
            if (!File.Exists(manifest)) throw new ResumeException($"{given}: not a grid folder (no {Path.GetFileName(manifest)})");
            var identity = GridManifest.TryRead(given)?.Identity;
            if (identity != grid.Identity)
                throw new ResumeException($"{given}: was made by a different grid (its trials differ from this grid file's); run the grid without --resume to start a new folder");
            return Path.GetFullPath(given);
        }
        return RunFolder.LatestOrAllocate(Path.Combine(options.ResultsRoot, grid.Spec.Name),
            d => GridFolder.IsGrid(d) && GridManifest.TryRead(d)?.Identity == grid.Identity, options.UtcNow());
    }
}
