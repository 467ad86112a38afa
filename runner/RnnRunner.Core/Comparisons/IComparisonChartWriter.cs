using RnnRunner.Core.Training;

namespace RnnRunner.Core.Comparisons;

/// <summary>One run's curves for comparison charts, and the test value it is judged by (see <see cref="Results.RunSummary.HeadlineTest"/>).</summary>
/// <param name="Colour">Its seed group's colour (<see cref="SeriesColours"/>), the same in every chart of a report.</param>
/// <param name="SecondsPerEpoch">CPU seconds per epoch (<see cref="EpochSpeed.Compared"/>): what speed is compared by.</param>
public sealed record TrialCurves(string Name, string Group, IReadOnlyList<EpochMetrics> History, int BestEpoch,
    string? TestMetric, double? Test, double? SecondsPerEpoch, int Colour = 0);

/// <summary>A comparison chart: its files (PNG and SVG), a heading and a caption that says how to read it.</summary>
public sealed record ComparisonChart(string Png, string Svg, string Heading, string Caption);

/// <summary>Draws a comparison's charts; implemented with ScottPlot in RnnRunner.Plotting.</summary>
public interface IComparisonChartWriter
{
    /// <summary>Writes the charts comparing <paramref name="trials"/> on <paramref name="monitor"/> into <paramref name="folder"/>.</summary>
    IReadOnlyList<ComparisonChart> Write(string folder, IReadOnlyList<TrialCurves> trials, string monitor);
}
