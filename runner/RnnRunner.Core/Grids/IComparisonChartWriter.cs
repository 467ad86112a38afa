using RnnRunner.Core.Training;

namespace RnnRunner.Core.Grids;

/// <summary>One trial's curves for comparison charts, and the test value it is judged by (see <see cref="Results.RunSummary.HeadlineTest"/>).</summary>
public sealed record TrialCurves(string Name, string Group, IReadOnlyList<EpochMetrics> History, int BestEpoch,
    string? TestMetric, double? Test, double? SecondsPerEpoch);

/// <summary>Draws a grid's comparison charts; implemented with ScottPlot in RnnRunner.Plotting.</summary>
public interface IComparisonChartWriter
{
    /// <summary>Writes PNG and SVG charts comparing <paramref name="trials"/> on <paramref name="monitor"/>; returns the files.</summary>
    IReadOnlyList<string> Write(string folder, IReadOnlyList<TrialCurves> trials, string monitor);
}
