namespace RnnRunner.Core.Training;

/// <summary>One row of metrics.csv: the epoch's values under Keras' names (loss, accuracy, val_loss, …).</summary>
public sealed record EpochMetrics(int Epoch, IReadOnlyDictionary<string, double> Values, double LearningRate, double Seconds)
{
    public double this[string name] => Values[name];
}

