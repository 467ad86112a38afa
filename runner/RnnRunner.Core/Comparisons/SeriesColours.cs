namespace RnnRunner.Core.Comparisons;

/// <summary>
/// The colours of a comparison's seed groups, one per group and the same in every chart and table of a report
/// (Tableau 10, the palette of matplotlib and ScottPlot's Category10). Past ten groups the colours repeat, and
/// the charts' labels tell groups apart.
/// </summary>
public static class SeriesColours
{
    private static readonly string[] Hex =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public static string Of(int index) => Hex[index % Hex.Length];
}
