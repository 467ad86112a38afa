using RnnRunner.Core.Comparisons;
using RnnRunner.Core.Grids;
using RnnRunner.Core.Results;

namespace RnnRunner.Cli.Commands.Compare;

public static class CompareCommand
{
    public static int Execute(IReadOnlyList<string> folders, string? output, string resultsRoot, bool json, TextWriter stdout, TextWriter errors)
    {
        var runs = new List<ComparedRun>();
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder))
            {
                errors.WriteLine($"error: {folder}: no such folder");
                return ExitCodes.InvalidInput;
            }
            var found = Collect(Path.GetFullPath(folder), errors).ToList();
            if (found.Count == 0)
            {
                errors.WriteLine($"error: {folder}: holds no run (a run folder has a summary.json)");
                return ExitCodes.InvalidInput;
            }
            runs.AddRange(found);
        }

        runs = SeedGroups.Assign(runs).ToList();
        // One grid folder is compared into itself (its report job on a cluster); anything else into a new comparison folder.
        var grid = output is null && folders.Count == 1 ? GridManifest.TryRead(folders[0]) : null;
        var target = output ?? (grid is not null ? Path.GetFullPath(folders[0]) : RunFolder.Allocate(Path.Combine(resultsRoot, "compare"), DateTime.UtcNow).Path);
        Directory.CreateDirectory(target);
        var header = grid is not null
            ? new ReportHeader($"Grid {grid.Name}", $"{runs.Count} of {grid.Trials.Count} trials of {Path.GetFileName(grid.Source)} finished.")
            : new ReportHeader("Comparison", $"{runs.Count} runs from {string.Join(", ", folders)}.");
        var comparison = ComparisonReport.Write(target, header, runs, new Composition(null, Core.Settings.Switchboard.Current).ComparisonCharts());
        if (output is null) ResultsIndexPage.TryWrite(resultsRoot, warning => errors.WriteLine($"warning: {warning}"));
        if (json) JsonOutput.Write(stdout, new { results = Path.GetFullPath(target), runs = ComparisonColumns.Json(comparison), groups = ComparisonColumns.GroupsJson(comparison) });
        else stdout.WriteLine($"Results: {Path.GetFullPath(target)} ({runs.Count} runs compared)");
        return ExitCodes.Success;
    }

    /// <summary>A grid trial's group as its grid's manifest names it (the trial without its seed), else the trial's name.</summary>
    private static string TrialGroup(string trialFolder)
    {
        var name = Path.GetFileName(trialFolder);
        var grid = Path.GetDirectoryName(Path.GetDirectoryName(trialFolder)!)!;
        return GridManifest.TryRead(grid)?.Trials.FirstOrDefault(t => t.Name == name)?.Group ?? name;
    }

    /// <summary>
    /// A run folder itself, a grid's trials, or every run folder directly below (results/&lt;name&gt;/).
    /// A damaged summary leaves its run out, with a warning: one bad file never stops a comparison.
    /// </summary>
    private static IEnumerable<ComparedRun> Collect(string folder, TextWriter errors)
    {
        if (File.Exists(RunFolder.At(folder).Summary))
        {
            var summary = RunSummary.TryRead(RunFolder.At(folder).Summary, out var damage);
            if (summary is null)
            {
                errors.WriteLine($"warning: {damage}; that run is left out");
                yield break;
            }
            var name = GridFolder.IsTrial(folder)
                ? Path.GetFileName(folder)
                : $"{summary.Name}/{summary.RunId}";
            var group = GridFolder.IsTrial(folder) ? TrialGroup(folder) : summary.Name;
            yield return new ComparedRun(name, group, folder, summary, RunSettings.Read(folder));
            yield break;
        }
        var below = GridFolder.IsGrid(folder) ? new GridFolder(folder).Trials : folder;
        if (!Directory.Exists(below)) yield break;
        foreach (var child in Directory.GetDirectories(below).Order(StringComparer.Ordinal))
            if (File.Exists(RunFolder.At(child).Summary))
                foreach (var run in Collect(child, errors)) yield return run;
    }
}
