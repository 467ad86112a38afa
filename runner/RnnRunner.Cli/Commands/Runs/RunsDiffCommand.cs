using System.Globalization;
using RnnRunner.Core.Comparisons;

namespace RnnRunner.Cli.Commands.Runs;

/// <summary><c>rnnrunner runs diff A B</c>: <see cref="RunDiff"/> as text on a terminal, or JSON for scripts.</summary>
public static class RunsDiffCommand
{
    public static int Execute(string a, string b, bool json, TextWriter stdout, TextWriter errors)
    {
        RunDiff diff;
        try
        {
            diff = RunDiff.Of(a, b);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidDataException)
        {
            errors.WriteLine($"error: {e.Message.Split(Environment.NewLine)[0]}");
            return ExitCodes.InvalidInput;
        }
        if (json) JsonOutput.Write(stdout, diff);
        else Print(diff, stdout);
        return ExitCodes.Success;
    }

    private static void Print(RunDiff diff, TextWriter output)
    {
        output.WriteLine($"A: {Side(diff.A)}");
        output.WriteLine($"B: {Side(diff.B)}");
        output.WriteLine();
        output.WriteLine(diff.Settings.Count == 0 ? "Settings: the same (resolved spec, seed aside)." : "Settings that differ (resolved spec):");
        var width = diff.Settings.Concat(diff.Circumstances).Select(d => d.What.Length).DefaultIfEmpty(0).Max();
        foreach (var d in diff.Settings) output.WriteLine($"  {d.What.PadRight(width)}  {d.A ?? "–"} → {d.B ?? "–"}");
        output.WriteLine();
        output.WriteLine("Metrics (A → B, change):");
        var metricWidth = diff.Metrics.Select(m => m.Metric.Length).DefaultIfEmpty(0).Max();
        foreach (var m in diff.Metrics)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {m.Metric.PadRight(metricWidth)}  {m.A?.Describe() ?? "–"} → {m.B?.Describe() ?? "–"}{(m.Delta is { } d ? $"  ({d:+0.0000;-0.0000;0})" : "")}"));
        if (diff.Verdict is { } verdict) output.WriteLine($"  verdict on {diff.Metrics.FirstOrDefault()?.Metric}: {verdict}");
        if (diff.Paired is { } paired) output.WriteLine($"  example by example, {paired}");
        output.WriteLine();
        output.WriteLine(diff.Circumstances.Count == 0 ? "Nothing else differs (engine, kernels, versions, CPU, data, epochs, early stopping)." : "Also different:");
        foreach (var d in diff.Circumstances) output.WriteLine($"  {d.What.PadRight(width)}  {Short(d.A)} → {Short(d.B)}");
    }

    private static string Side(IReadOnlyList<string> runs) => runs.Count == 1 ? runs[0] : $"{runs.Count} runs ({runs[0]} …)";

    /// <summary>A value short enough for one line; a long one (a data signature) only as "differs".</summary>
    private static string Short(string? value) => value is null ? "–" : value.Length > 60 || value.Contains('\n') ? "(differs: see each folder)" : value;
}
