namespace RnnRunner.Core.Specs;

/// <summary>Which examples a logged value is measured on.</summary>
public enum DataSplit { Train, Validation, Test }

/// <summary>
/// One logged value, typed: the split it is measured on, what it measures (loss, accuracy, mae) and which way is
/// better. Its <see cref="Name"/> is Keras' (<c>loss</c>, <c>val_accuracy</c>), with <c>test_</c> for the test split:
/// the column in metrics.csv, the key in summary.json and what a spec's <c>monitor:</c> names.
/// </summary>
public readonly record struct MetricKey(DataSplit Split, string Quantity)
{
    public const string LossQuantity = "loss";
    private const string ValidationPrefix = "val_", TestPrefix = "test_";

    public static MetricKey Loss(DataSplit split) => new(split, LossQuantity);

    public static MetricKey Of(MetricKind metric, DataSplit split) => new(split, SpecNames.Of(metric));

    public string Name => Split switch
    {
        DataSplit.Validation => ValidationPrefix + Quantity,
        DataSplit.Test => TestPrefix + Quantity,
        _ => Quantity,
    };

    /// <summary>Whether a larger value is better (Keras' mode='auto': accuracies up, losses and errors down).</summary>
    public bool HigherIsBetter => Quantity.EndsWith("accuracy", StringComparison.Ordinal);

    /// <summary>The same quantity on another split (e.g. a training metric's validation twin).</summary>
    public MetricKey On(DataSplit split) => this with { Split = split };

    /// <summary>The key a name stands for: <c>val_</c> and <c>test_</c> prefixes name the split.</summary>
    public static MetricKey Parse(string name) =>
        name.StartsWith(ValidationPrefix, StringComparison.Ordinal) ? new(DataSplit.Validation, name[ValidationPrefix.Length..])
        : name.StartsWith(TestPrefix, StringComparison.Ordinal) ? new(DataSplit.Test, name[TestPrefix.Length..])
        : new(DataSplit.Train, name);

    /// <summary>What a run logs every epoch: loss and each metric, then their validation twins when there is a validation split.</summary>
    public static IReadOnlyList<MetricKey> Logged(TrainingSpec training)
    {
        var train = new[] { Loss(DataSplit.Train) }.Concat(training.Metrics.Select(m => Of(m, DataSplit.Train))).ToList();
        return training.ValidationSplit > 0 ? [.. train, .. train.Select(k => k.On(DataSplit.Validation))] : train;
    }

    public override string ToString() => Name;
}
