using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Comparisons;

/// <summary>What a report is about: its title and a sentence or two saying what was compared, and any findings of its own.</summary>
public sealed record ReportHeader(string Title, string Description)
{
    /// <summary>Tables a report leads with, before its comparison (a study's hyperparameter importance).</summary>
    public IReadOnlyList<ReportTable> Findings { get; init; } = [];
}

/// <summary>A small table with a heading and a sentence on how to read it; cells are text.</summary>
public sealed record ReportTable(string Heading, string Explanation, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>
/// Everything a comparison writes into its folder — comparison.csv/.md, the charts, report.html (which inlines the
/// charts it is handed) — for a grid and for <c>rnnrunner compare</c> alike.
/// </summary>
public static class ComparisonReport
{
    /// <param name="charts">The chart writer; null writes the tables and the report without charts.</param>
    /// <param name="leading">Charts that come first in the report (a study's own: objective by trial, parameters, rungs).</param>
    public static Comparison Write(string folder, ReportHeader header, IReadOnlyList<ComparedRun> runs, IComparisonChartWriter? charts,
        IReadOnlyList<ComparisonChart>? leading = null)
    {
        var comparison = Comparison.Of(runs, folder);
        ComparisonTables.Write(folder, comparison, header.Findings);
        var chartFiles = charts is null ? [] : charts.Write(new GridFolder(folder).Charts, Curves(runs, comparison), Monitor(runs));
        HtmlReport.Write(folder, header, comparison, [.. leading ?? [], .. chartFiles]);
        return comparison;
    }

    /// <summary>Each run's logged curves, in its group's colour.</summary>
    private static List<TrialCurves> Curves(IReadOnlyList<ComparedRun> runs, Comparison comparison) => runs
        .Where(r => File.Exists(RunFolder.At(r.Folder).Metrics))
        .Select(r => new TrialCurves(r.Name, r.Group, MetricsCsv.Read(RunFolder.At(r.Folder).Metrics), r.Summary.BestEpoch ?? 0,
            r.Summary.HeadlineTest()?.Metric, r.Summary.HeadlineTest()?.Value, EpochSpeed.Of(r.Summary).Compared, comparison.ColourOf(r.Group)))
        .ToList();

    private static string Monitor(IReadOnlyList<ComparedRun> runs) =>
        runs.Select(r => r.Summary.Monitor).FirstOrDefault(m => m is not null) ?? MetricKey.Loss(DataSplit.Validation).Name;
}
