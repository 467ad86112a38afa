using System.Diagnostics;

namespace RnnRunner.Cli.Benchmarks;

/// <summary>Benchmarks train each model in its own process, so its peak memory and timings are its own.</summary>
public static class ChildRuns
{
    /// <summary>Runs <c>rnnrunner run</c> on <paramref name="specPath"/> and returns the run folder it printed.</summary>
    /// <param name="environment">Extra environment variables for the child (e.g. a kernel choice).</param>
    public static string Train(string specPath, string resultsRoot, IEnumerable<string> overrides,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        foreach (var a in new[] { "run", specPath, "--results", resultsRoot, "--quiet" }) start.ArgumentList.Add(a);
        foreach (var o in overrides) { start.ArgumentList.Add("--set"); start.ArgumentList.Add(o); }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = stdout.Split('\n').FirstOrDefault(l => l.StartsWith("Results: ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{Path.GetFileName(specPath)}: the run printed no results folder: {stderr.Result.Trim()}");
        return Path.GetFullPath(line["Results: ".Length..].Trim());
    }
}
