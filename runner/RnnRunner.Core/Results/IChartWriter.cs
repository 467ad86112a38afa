using RnnRunner.Core.Training;

namespace RnnRunner.Core.Results;

/// <summary>Draws a run's training curves; implemented with ScottPlot in RnnRunner.Plotting.</summary>
public interface IChartWriter
{
    /// <summary>Writes accuracy/loss (or the task's metric) charts as PNG and SVG; returns the files written.</summary>
    IReadOnlyList<string> WriteRunCharts(string folder, string runName, IReadOnlyList<EpochMetrics> history, int bestEpoch);
}
