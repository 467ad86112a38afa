namespace RnnRunner.Core.Training;

/// <summary>One row of metrics.csv: the epoch's values under Keras' names (loss, accuracy, val_loss, …).</summary>
/// <param name="Seconds">Wall time, validation included.</param>
public sealed record EpochMetrics(int Epoch, IReadOnlyDictionary<string, double> Values, double LearningRate, double Seconds)
{
    /// <summary>The process's CPU time over the epoch (all threads): what the epoch cost, whatever else ran (null in runs made before it was kept).</summary>
    public double? CpuSeconds { get; init; }

    /// <summary>The share of the machine's CPU time other processes took during the epoch (0 quiet, 1 every core busy).</summary>
    public double? OthersCpuShare { get; init; }

    public double this[string name] => Values[name];
}

