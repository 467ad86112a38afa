using RnnRunner.Core.Results;

namespace RnnRunner.Cli.Commands.Runs;

/// <summary><c>rnnrunner runs</c>: the results index as a table on a terminal, or JSON for scripts.</summary>
public static class RunsCommand
{
    private const string DefaultFolder = "results";

    /// <param name="folder">The results folder given, or null for the default, results/ (which need not exist yet).</param>
    public static int Execute(string? folder, string? filter, string? sort, bool json, TextWriter stdout, TextWriter errors)
    {
        if (folder is null && !Directory.Exists(DefaultFolder))
        {
            if (json) JsonOutput.Write(stdout, new { results = Path.GetFullPath(DefaultFolder), runs = Array.Empty<IndexedRun>() });
            else stdout.WriteLine($"No runs yet: {DefaultFolder}/ does not exist (./rnnrunner run <spec> makes the first).");
            return ExitCodes.Success;
        }
        folder ??= DefaultFolder;
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
        var columns = RunIndexColumns.All;
        var rows = runs.Select(r => columns.Select(c => c.Text(r)).ToArray()).ToList();
        var widths = columns.Select((c, i) => rows.Select(r => r[i].Length).Append(c.Heading.Length).Max()).ToArray();
        stdout.WriteLine(string.Join("  ", columns.Select((c, i) => c.Heading.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows) stdout.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        stdout.WriteLine($"{runs.Count} run(s)");
    }
}
