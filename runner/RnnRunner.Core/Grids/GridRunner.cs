using System.Text.Json;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
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
    /// <summary>Run only every Count-th trial starting at Index (1-based), as one job of a cluster array.</summary>
    public (int Index, int Count)? Shard { get; init; }
}

public sealed record TrialOutcome(Trial Trial, string Folder, RunSummary Summary, bool Skipped);

public sealed record GridOutcome(string Folder, IReadOnlyList<TrialOutcome> Trials, bool Interrupted);

/// <summary>
/// Runs a grid's trials one after another into <c>results/&lt;grid&gt;/&lt;NNN&gt;-&lt;timestamp&gt;/trials/&lt;trial&gt;/</c>.
/// Running the same grid again continues its latest folder: completed trials are skipped, interrupted ones
/// resume from their checkpoint, failed ones run again. One failing trial does not stop the others.
/// </summary>
public sealed class GridRunner(Func<ExperimentRun> newRun, ILogger log, IComparisonChartWriter? charts = null)
{
    public const string Manifest = "grid.json";

    private sealed record ManifestJson(string Name, string Identity, string Source, IReadOnlyList<ManifestTrial> Trials);
    private sealed record ManifestTrial(string Name, string Group, string Identity, IReadOnlyList<string> Settings);

    public GridOutcome Run(ExpandedGrid grid, GridOptions options, RunOptions runOptions, CancellationToken cancellation = default)
    {
        var folder = ChooseFolder(grid, options);
        AtomicFile.WriteAllText(Path.Combine(folder, Manifest), JsonSerializer.Serialize(new ManifestJson(grid.Spec.Name, grid.Identity,
            Path.GetFullPath(grid.SourcePath), grid.Trials.Select(t => new ManifestTrial(t.Name, t.Group, t.Identity,
                t.Settings.Select(s => $"{s.Path}: {s.Label}").ToList())).ToList()), RunSummary.JsonOptions));
        log.Information("Grid {Grid}: {Trials} trials in {Folder}", grid.Spec.Name, grid.Trials.Count, folder);

        var outcomes = new List<TrialOutcome>();
        var interrupted = false;
        for (var i = 0; i < grid.Trials.Count; i++)
        {
            var trial = grid.Trials[i];
            if (options.Shard is { } shard && i % shard.Count != shard.Index - 1) continue;
            var trialFolder = Path.Combine(folder, "trials", trial.Name);
            var previous = File.Exists(Path.Combine(trialFolder, "summary.json")) ? RunSummary.Read(Path.Combine(trialFolder, "summary.json")) : null;
            if (previous?.Status == RunStatus.Completed)
            {
                log.Information("Trial {Index}/{Count} {Trial}: already completed, skipped", i + 1, grid.Trials.Count, trial.Name);
                outcomes.Add(new TrialOutcome(trial, trialFolder, previous, Skipped: true));
                continue;
            }
            log.Information("Trial {Index}/{Count} {Trial}", i + 1, grid.Trials.Count, trial.Name);
            var run = newRun();
            var resumable = previous?.Status is RunStatus.Interrupted or RunStatus.Running && File.Exists(Path.Combine(trialFolder, "checkpoint.bin"));
            var outcome = resumable
                ? run.Resume(RunFolder.Open(trialFolder), runOptions, cancellation)
                : run.ExecuteIn(RunFolder.CreateAt(trialFolder), trial.Spec, runOptions, cancellation);
            outcomes.Add(new TrialOutcome(trial, trialFolder, outcome.Summary, Skipped: false));
            if (outcome.Summary.Status == RunStatus.Interrupted) { interrupted = true; break; }
            if (outcome.Summary.Status != RunStatus.Completed)
            {
                log.Warning("Trial {Trial} {Status}: {Message}", trial.Name, outcome.Summary.Status, outcome.Summary.Message);
                if (options.FailFast) break;
            }
        }

        // Shards share the folder: compare every trial finished so far, so the last shard leaves the full table.
        var compared = options.Shard is null ? outcomes : FinishedTrials(grid, folder);
        Comparison.Write(folder, compared);
        if (charts is not null) Comparison.WriteCharts(folder, compared.Select(Comparison.ComparedRun.From).ToList(), charts);
        HtmlReport.Write(folder, $"Grid {grid.Spec.Name}", Comparison.Rows(compared));
        return new GridOutcome(folder, outcomes, interrupted);
    }

    private static List<TrialOutcome> FinishedTrials(ExpandedGrid grid, string folder) => grid.Trials
        .Select(t => (Trial: t, Folder: Path.Combine(folder, "trials", t.Name)))
        .Where(t => File.Exists(Path.Combine(t.Folder, "summary.json")))
        .Select(t => new TrialOutcome(t.Trial, t.Folder, RunSummary.Read(Path.Combine(t.Folder, "summary.json")), Skipped: true))
        .ToList();

    private static string SharedFolder(ExpandedGrid grid, GridOptions options)
    {
        // Every shard of the same grid computes the same name, so array jobs meet in one folder without talking.
        var folder = Path.GetFullPath(Path.Combine(options.ResultsRoot, grid.Spec.Name, $"shared-{grid.Identity}"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The folder given, else the latest folder of this same grid (same identity), else a new one.</summary>
    private static string ChooseFolder(ExpandedGrid grid, GridOptions options)
    {
        if (options.Shard is not null && options.ResumeFolder is null) return SharedFolder(grid, options);
        if (options.ResumeFolder is { } given)
        {
            var manifest = Path.Combine(given, Manifest);
            if (!File.Exists(manifest)) throw new ResumeException($"{given}: not a grid folder (no {Manifest})");
            var identity = JsonSerializer.Deserialize<ManifestJson>(File.ReadAllText(manifest), RunSummary.JsonOptions)?.Identity;
            if (identity != grid.Identity)
                throw new ResumeException($"{given}: was made by a different grid (its trials differ from this grid file's); run the grid without --resume to start a new folder");
            return Path.GetFullPath(given);
        }
        var parent = Path.Combine(options.ResultsRoot, grid.Spec.Name);
        if (Directory.Exists(parent))
        {
            var latest = Directory.GetDirectories(parent).Order(StringComparer.Ordinal).Reverse()
                .FirstOrDefault(d => File.Exists(Path.Combine(d, Manifest)) &&
                    JsonSerializer.Deserialize<ManifestJson>(File.ReadAllText(Path.Combine(d, Manifest)), RunSummary.JsonOptions)?.Identity == grid.Identity);
            if (latest is not null) return latest;
        }
        return RunFolder.Allocate(parent, options.UtcNow()).Path;
    }
}
