namespace RnnRunner.Core.Specs;

/// <summary>The Keras names of the per-epoch values a run logs.</summary>
public static class MetricNames
{
    public const string Loss = "loss";
    public const string ValidationPrefix = "val_";

    /// <summary>loss and each metric, then their val_ twins when there is a validation split.</summary>
    public static IEnumerable<string> Logged(TrainingSpec training)
    {
        var train = new[] { Loss }.Concat(training.Metrics.Select(m => SpecNames.Of(m))).ToList();
        return training.ValidationSplit > 0 ? train.Concat(train.Select(n => ValidationPrefix + n)) : train;
    }

    /// <summary>Whether a larger value of this metric is better (Keras' mode='auto').</summary>
    public static bool HigherIsBetter(string name) => name.EndsWith("accuracy", StringComparison.Ordinal);
}
