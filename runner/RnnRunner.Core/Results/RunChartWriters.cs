using RnnRunner.Core.Training;

namespace RnnRunner.Core.Results;

/// <summary>Draws a run's training curves; implemented with ScottPlot in RnnRunner.Plotting.</summary>
public interface ITrainingCurveChartWriter
{
    /// <summary>
    /// Writes accuracy/loss (or the task's metric) charts as PNG and SVG; returns the files written. The loss chart
    /// names <paramref name="lossName"/> and, when the learning rate changed, shows it on a second axis.
    /// </summary>
    IReadOnlyList<string> WriteRunCharts(string folder, string runName, string lossName, IReadOnlyList<EpochMetrics> history, int bestEpoch);
}

/// <summary>Draws a classifier's confusion matrix; implemented with ScottPlot in RnnRunner.Plotting.</summary>
public interface IConfusionChartWriter
{
    /// <summary>Writes <paramref name="name"/>.png and .svg into <paramref name="folder"/>: rows the true classes, columns the predicted.</summary>
    IReadOnlyList<string> Write(string folder, string name, IReadOnlyList<string> classes, IReadOnlyList<int[]> matrix);
}
