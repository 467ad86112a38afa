using RnnRunner.Core.Specs;
using RnnRunner.Core.Storage;
using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration.Attributes;
using RnnRunner.Core.Results;
using RnnRunner.Core.Training;

namespace RnnRunner.Core.Grids;

/// <summary>
/// comparison.csv (one row per trial) and comparison.md (seed groups as mean ± std, then every trial), sorted by
/// the monitored metric, best first.
/// </summary>
public static class Comparison
{

    /// <summary>One finished (or failed) run to compare: a grid trial, or any run folder.</summary>
    public sealed record ComparedRun(string Name, string Group, string Settings, string Folder, RunSummary Summary)
    {
        public static ComparedRun From(TrialOutcome o) => new(o.Trial.Name, o.Trial.Group,
            string.Join("; ", o.Trial.Settings.Select(s => $"{s.Path}: {s.Label}")), o.Folder, o.Summary);
    }

    /// <summary>One compared run; comparison.csv has one snake_case column per field, as metrics.csv does.</summary>
    public sealed record Row(
        [property: Name("trial")] string Trial,
        [property: Name("group")] string Group,
        [property: Name("settings")] string Settings,
        [property: Name("status")] string Status,
        [property: Name("parameters")] long Parameters,
        [property: Name("best_epoch")] int? BestEpoch,
        [property: Name("monitor")] string? Monitor,
        [property: Name("best")] double? Best,
        [property: Name("test_metric")] string? TestMetric,
        [property: Name("test")] double? Test,
        [property: Name("test_loss")] double? TestLoss,
        [property: Name("seconds_per_epoch")] double? SecondsPerEpoch);

    public sealed record GroupRow(string Group, int Trials, double? BestMean, double? BestStd, double? TestMean, double? TestStd, double? SecondsPerEpoch);

    public static IReadOnlyList<Row> Rows(IEnumerable<TrialOutcome> outcomes) => Rows(outcomes.Select(ComparedRun.From));

    public static IReadOnlyList<Row> Rows(IEnumerable<ComparedRun> runs)
    {
        var rows = runs.Select(o => new Row(o.Name, o.Group, o.Settings,
            o.Summary.Status.ToString().ToLowerInvariant(), o.Summary.Parameters, o.Summary.BestEpoch, o.Summary.Monitor,
            o.Summary.BestValue, o.Summary.HeadlineTest()?.Metric, o.Summary.HeadlineTest()?.Value,
            o.Summary.TestMetrics?.GetValueOrDefault(MetricKey.Loss(DataSplit.Test).Name), o.Summary.SecondsPerEpoch)).ToList();
        var higherIsBetter = rows.FirstOrDefault(r => r.Monitor is not null)?.Monitor is { } m && MetricKey.Parse(m).HigherIsBetter;
        return (higherIsBetter ? rows.OrderByDescending(r => r.Best ?? double.MinValue) : rows.OrderBy(r => r.Best ?? double.MaxValue)).ToList();
    }

    public static IReadOnlyList<GroupRow> Groups(IReadOnlyList<Row> rows) => rows.GroupBy(r => r.Group)
        .Select(g => new GroupRow(g.Key, g.Count(),
            Mean(g.Select(r => r.Best)), Std(g.Select(r => r.Best)),
            Mean(g.Select(r => r.Test)), Std(g.Select(r => r.Test)),
            Mean(g.Select(r => r.SecondsPerEpoch))))
        .ToList();

    public static void Write(string folder, IEnumerable<ComparedRun> runs)
    {
        var rows = Rows(runs);
        AtomicFile.Write(new GridFolder(folder).ComparisonCsv, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            csv.WriteRecords(rows);
        });

        // One monitored metric heads its column; runs watching different ones get "best" and name theirs per cell.
        var monitors = rows.Select(r => r.Monitor).OfType<string>().Distinct().ToList();
        var monitor = monitors is [var only] ? only : "best";
        var test = TestHeading(rows);
        var md = new StringBuilder();
        md.AppendLine("# Comparison").AppendLine();
        md.AppendLine($"Sorted by {monitor} (the best epoch's), best first. Seed repeats are aggregated as mean ± std.").AppendLine();
        md.AppendLine($"| group | trials | {monitor} | {test} | s / epoch |").AppendLine("|---|---|---|---|---|");
        var higherIsBetter = monitors.Count > 0 && MetricKey.Parse(monitors[0]).HigherIsBetter;
        var groups = higherIsBetter
            ? Groups(rows).OrderByDescending(g => g.BestMean ?? double.MinValue)
            : Groups(rows).OrderBy(g => g.BestMean ?? double.MaxValue);
        foreach (var g in groups)
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {g.Group} | {g.Trials} | {Named(monitor, rows.First(r => r.Group == g.Group).Monitor, MeanStd(g.BestMean, g.BestStd, g.Trials))} | {MeanStd(g.TestMean, g.TestStd, g.Trials)} | {F(g.SecondsPerEpoch, "F1")} |"));
        md.AppendLine().AppendLine($"| trial | settings | status | parameters | best epoch | best | {test} | s / epoch |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
            md.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Trial} | {r.Settings} | {r.Status} | {r.Parameters:N0} | {r.BestEpoch?.ToString(CultureInfo.InvariantCulture) ?? "–"} | {Named(monitor, r.Monitor, F(r.Best, "F4"))} | {TestCell(r, test)} | {F(r.SecondsPerEpoch, "F1")} |"));
        AtomicFile.WriteAllText(new GridFolder(folder).ComparisonMarkdown, md.ToString());
    }

    /// <summary>The test column's heading: the one metric every run reports (test_accuracy, test_mae…), or "test" when they differ.</summary>
    public static string TestHeading(IReadOnlyList<Row> rows) =>
        rows.Select(r => r.TestMetric).OfType<string>().Distinct().ToList() is [var only] ? only : "test";

    /// <summary>A value under a mixed "best" heading carries its metric's name.</summary>
    private static string Named(string heading, string? metric, string value) =>
        heading == "best" && metric is not null ? $"{metric} {value}" : value;

    /// <summary>A row's test value; under a mixed "test" heading, with its metric's name.</summary>
    public static string TestCell(Row row, string heading) =>
        heading == "test" && row.TestMetric is { } name ? $"{name} {F(row.Test, "F4")}" : F(row.Test, "F4");

    /// <summary>Writes the comparison charts for <paramref name="runs"/> into <c>folder/charts</c>; returns the files.</summary>
    public static IReadOnlyList<string> WriteCharts(string folder, IReadOnlyList<ComparedRun> runs, IComparisonChartWriter charts)
    {
        var curves = runs.Where(r => File.Exists(RunFolder.At(r.Folder).Metrics))
            .Select(r => new TrialCurves(r.Name, r.Group, MetricsCsv.Read(RunFolder.At(r.Folder).Metrics),
                r.Summary.BestEpoch ?? 0, r.Summary.HeadlineTest()?.Metric, r.Summary.HeadlineTest()?.Value, r.Summary.SecondsPerEpoch))
            .ToList();
        var monitor = runs.Select(r => r.Summary.Monitor).FirstOrDefault(m => m is not null) ?? MetricKey.Loss(DataSplit.Validation).Name;
        return charts.Write(new GridFolder(folder).Charts, curves, monitor);
    }

    private static double? Mean(IEnumerable<double?> values)
    {
        var v = values.OfType<double>().ToList();
        return v.Count == 0 ? null : v.Average();
    }

    /// <summary>Sample standard deviation (n − 1), as reported for seed repeats; null for fewer than two values.</summary>
    private static double? Std(IEnumerable<double?> values)
    {
        var v = values.OfType<double>().ToList();
        if (v.Count < 2) return null;
        var mean = v.Average();
        return Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1));
    }

    private static string MeanStd(double? mean, double? std, int n) =>
        mean is null ? "–" : n < 2 || std is null ? F(mean, "F4") : $"{F(mean, "F4")} ± {F(std, "F4")}";

    private static string F(double? v, string format) => v?.ToString(format, CultureInfo.InvariantCulture) ?? "–";
}
