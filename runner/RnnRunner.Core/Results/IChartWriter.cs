using RnnRunner.Core.Training;

namespace RnnRunner.Core.Results;

/// <summary>Draws a run's training curves; implemented with ScottPlot in RnnRunner.Plotting.</summary>
public interface IChartWriter
{
    /// <summary>
    /// Writes accuracy/loss (or the task's metric) charts as PNG and SVG; returns the files written. The loss chart
    /// names <paramref name="lossName"/> and, when the learning rate changed, shows it on a second axis.
    /// </summary>
    IReadOnlyList<string> WriteRunCharts(string folder, string runName, string lossName, IReadOnlyList<EpochMetrics> history, int bestEpoch);
}
