namespace RnnRunner.Core.Grids;

/// <summary>
/// Everything a comparison writes into its folder — comparison.csv/.md, the charts, report.html (which inlines the
/// charts it is handed) — for a grid and for <c>rnnrunner compare</c> alike.
/// </summary>
public static class ComparisonReport
{
    /// <param name="charts">The chart writer; null writes the tables and the report without charts.</param>
    public static void Write(string folder, string title, IReadOnlyList<Comparison.ComparedRun> runs, IComparisonChartWriter? charts)
    {
        Comparison.Write(folder, runs);
        var chartFiles = charts is null ? [] : Comparison.WriteCharts(folder, runs, charts);
        HtmlReport.Write(folder, title, Comparison.Rows(runs), chartFiles);
    }
}
