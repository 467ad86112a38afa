using System.Globalization;
using RnnRunner.Core.Results;

namespace RnnRunner.Cli.Commands.Runs;

/// <summary><c>rnnrunner runs</c>: the results index as a table on a terminal, or JSON for scripts.</summary>
public static class RunsCommand
{
    public static int Execute(string folder, string? filter, string? sort, bool json, TextWriter stdout, TextWriter errors)
    {
        if (!Directory.Exists(folder))
        {
            errors.WriteLine($"error: {folder}: no such folder");
            return ExitCodes.InvalidInput;
        }
        var problems = new List<string>();
        IReadOnlyList<IndexedRun> runs;
        try
        {
            runs = RunIndex.Sort(RunIndex.Filter(RunIndex.Scan(Path.GetFullPath(folder), problems), filter), sort);
        }
        catch (ArgumentException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        foreach (var problem in problems) errors.WriteLine($"warning: {problem}; that run is left out");
        if (json)
        {
            JsonOutput.Write(stdout, new { results = Path.GetFullPath(folder), runs });
            return ExitCodes.Success;
        }
        WriteTable(stdout, runs);
        return ExitCodes.Success;
    }

    private static void WriteTable(TextWriter stdout, IReadOnlyList<IndexedRun> runs)
    {
        string F(double? v, string format) => v?.ToString(format, CultureInfo.InvariantCulture) ?? "–";
        var rows = runs.Select(r => new[]
        {
            r.Folder, r.Status, r.Engine, r.Epochs.ToString(CultureInfo.InvariantCulture),
            r.Monitor is null ? "–" : $"{r.Monitor} {F(r.Best, "F4")}", r.TestMetric is null ? "–" : $"{r.TestMetric} {F(r.Test, "F4")}",
            F(r.SecondsPerEpoch, "F1"), r.Started.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        }).ToList();
        string[] headings = ["run", "status", "engine", "epochs", "best", "test", "s/epoch", "started (UTC)"];
        var widths = headings.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        stdout.WriteLine(string.Join("  ", headings.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows) stdout.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        stdout.WriteLine($"{runs.Count} run(s)");
    }
}
