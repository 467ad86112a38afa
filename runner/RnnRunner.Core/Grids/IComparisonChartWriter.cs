using RnnRunner.Core.Training;

namespace RnnRunner.Core.Grids;

/// <summary>One trial's curves for comparison charts.</summary>
public sealed record TrialCurves(string Name, string Group, IReadOnlyList<EpochMetrics> History, int BestEpoch,
    double? TestAccuracy, double? SecondsPerEpoch);

/// <summary>Draws a grid's comparison charts; implemented with ScottPlot in RnnRunner.Plotting.</summary>
public interface IComparisonChartWriter
{
    /// <summary>Writes PNG and SVG charts comparing <paramref name="trials"/> on <paramref name="monitor"/>; returns the files.</summary>
    IReadOnlyList<string> Write(string folder, IReadOnlyList<TrialCurves> trials, string monitor);
}
