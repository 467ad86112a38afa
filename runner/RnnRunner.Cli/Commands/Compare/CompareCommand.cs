using RnnRunner.Core.Grids;
using RnnRunner.Core.Results;
using RnnRunner.Plotting;

namespace RnnRunner.Cli.Commands.Compare;

public static class CompareCommand
{
    public static int Execute(IReadOnlyList<string> folders, string? output, string resultsRoot, bool json, TextWriter stdout, TextWriter errors)
    {
        var runs = new List<Comparison.ComparedRun>();
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
        var target = output ?? RunFolder.Allocate(Path.Combine(resultsRoot, "compare"), DateTime.UtcNow).Path;
        Directory.CreateDirectory(target);
        ComparisonReport.Write(target, "Comparison", runs, new ComparisonCharts());
        if (json) JsonOutput.Write(stdout, new { results = Path.GetFullPath(target), runs = Comparison.Rows(runs) });
        else stdout.WriteLine($"Results: {Path.GetFullPath(target)} ({runs.Count} runs compared)");
        return ExitCodes.Success;
    }

    /// <summary>A run folder itself, a grid's trials, or every run folder directly below (results/&lt;name&gt;/).</summary>
    /// <summary>A damaged summary leaves its run out, with a warning: one bad file never stops a comparison.</summary>
    private static IEnumerable<Comparison.ComparedRun> Collect(string folder, TextWriter errors)
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
            var group = GridFolder.IsTrial(folder) ? Path.GetFileName(folder) : summary.Name;
            yield return new Comparison.ComparedRun(name, group, $"seed: {summary.Seed}", folder, summary);
            yield break;
        }
        var below = GridFolder.IsGrid(folder) ? new GridFolder(folder).Trials : folder;
        if (!Directory.Exists(below)) yield break;
        foreach (var child in Directory.GetDirectories(below).Order(StringComparer.Ordinal))
            if (File.Exists(RunFolder.At(child).Summary))
                foreach (var run in Collect(child, errors)) yield return run;
    }
}
