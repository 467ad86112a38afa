using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data;

/// <summary>Maps each data spec record to its source: the registry that new datasets join.</summary>
public static class DataSources
{
    /// <param name="validationSplit">The spec's training.validation_split, for sources that split by time themselves.</param>
    public static IDataSource For(DataSpec spec, DataEnvironment? environment = null, double validationSplit = 0) => spec switch
    {
        CountingSentimentDataSpec s => new Synthetic.CountingSentimentSource(s),
        DelayedEchoDataSpec s => new Synthetic.DelayedEchoSource(s),
        NoisySineDataSpec s => new Synthetic.NoisySineSource(s),
        ImdbDataSpec s => new ImdbSource(s, environment ?? DataEnvironment.FromEnvironment()),
        TextFolderDataSpec s => new TextFolder.TextFolderSource(s, environment ?? DataEnvironment.FromEnvironment()),
        TableDataSpec s => new Table.TableSource(s, environment ?? DataEnvironment.FromEnvironment()),
        TimeseriesDataSpec s => new Timeseries.TimeseriesSource(s, validationSplit, environment?.Trained?.SeriesStatistics,
            (environment ?? DataEnvironment.FromEnvironment()).CacheRoot),
        NumpyDataSpec s => new Numpy.NumpySource(s, environment ?? DataEnvironment.FromEnvironment()),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), $"no data source for {spec.GetType().Name}"),
    };

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
