using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data;

/// <summary>What every source is built with besides its spec record.</summary>
/// <param name="ValidationSplit">The spec's training.validation_split, for sources that split by time themselves.</param>
public sealed record DataSourceContext(DataEnvironment Environment, double ValidationSplit);

/// <summary>
/// Each data spec record's source: the <see cref="IDataSource"/> marked <c>[Implements(typeof(TheDataSpec))]</c>, built
/// from (that record, <see cref="DataSourceContext"/>). Adding a dataset is its spec record and its source.
/// </summary>
public static class DataSources
{
    private static readonly SpecRegistry<IDataSource> Registry = new();

    /// <summary>The spec records a source is registered for.</summary>
    public static IReadOnlyCollection<Type> Specs => Registry.Specs;

    /// <param name="validationSplit">The spec's training.validation_split, for sources that split by time themselves.</param>
    public static IDataSource For(DataSpec spec, DataEnvironment? environment = null, double validationSplit = 0) =>
        Registry.Create(spec, new DataSourceContext(environment ?? DataEnvironment.FromEnvironment(), validationSplit));

    /// <summary>Loads the data and splits validation off the training examples by a seeded shuffle.</summary>
    public static DatasetSplits LoadSplits(DataSpec spec, double validationSplit, int seed,
        CancellationToken cancellation = default, DataEnvironment? environment = null)
    {
        var data = For(spec, environment, validationSplit).Load(seed, cancellation);
        return Split(data, validationSplit, seed);
    }

    public static DatasetSplits Split(SourceData data, double validationSplit, int seed)
    {
        if (data.Validation is { } chosen)
            return new DatasetSplits(data.Train, chosen, data.Test) { Vocabulary = data.Vocabulary, Report = data.Report, NumericReport = data.NumericReport };
        var train = data.Train;
        var order = SeededRandom.Permutation(SeededRandom.For(seed, "validation-split"), train.Count);
        var validationCount = (int)Math.Round(train.Count * validationSplit);
        if (validationSplit > 0 && validationCount == 0) validationCount = 1;
        var trainIndices = order[..(train.Count - validationCount)];
        // Sorted so the kept examples stay in their original order; only membership is random.
        Array.Sort(trainIndices);
        var validationIndices = order[(train.Count - validationCount)..];
        Array.Sort(validationIndices);
        return new DatasetSplits(train.Select(trainIndices), train.Select(validationIndices), data.Test)
        {
            Vocabulary = data.Vocabulary,
            Report = data.Report,
            NumericReport = data.NumericReport,
        };
    }
}
