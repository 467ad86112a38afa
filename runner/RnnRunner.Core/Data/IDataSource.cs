using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data;

/// <summary>One kind of dataset: what it produces (known from the spec) and how to load it.</summary>
public interface IDataSource
{
    /// <summary>Inputs and targets the model must fit, derived from the spec without loading anything.</summary>
    DataSignature Describe();

    /// <summary>Loads (or generates) the training and test examples.</summary>
    (SequenceDataset Train, SequenceDataset Test) Load(int seed, CancellationToken cancellation);
}

/// <summary>Maps each data spec record to its source: the registry that new datasets join.</summary>
public static class DataSources
{
    public static IDataSource For(DataSpec spec) => spec switch
    {
        CountingSentimentDataSpec s => new Synthetic.CountingSentimentSource(s),
        DelayedEchoDataSpec s => new Synthetic.DelayedEchoSource(s),
        NoisySineDataSpec s => new Synthetic.NoisySineSource(s),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), $"no data source for {spec.GetType().Name}"),
    };

    /// <summary>Loads the data and splits validation off the training examples by a seeded shuffle.</summary>
    public static DatasetSplits LoadSplits(DataSpec spec, double validationSplit, int seed, CancellationToken cancellation = default)
    {
        var (train, test) = For(spec).Load(seed, cancellation);
        return Split(train, test, validationSplit, seed);
    }

    public static DatasetSplits Split(SequenceDataset train, SequenceDataset test, double validationSplit, int seed)
    {
        var order = SeededRandom.Permutation(SeededRandom.For(seed, "validation-split"), train.Count);
        var validationCount = (int)Math.Round(train.Count * validationSplit);
        if (validationSplit > 0 && validationCount == 0) validationCount = 1;
        var trainIndices = order[..(train.Count - validationCount)];
        // Sorted so the kept examples stay in their original order; only membership is random.
        Array.Sort(trainIndices);
        var validationIndices = order[(train.Count - validationCount)..];
        Array.Sort(validationIndices);
        return new DatasetSplits(train.Select(trainIndices), train.Select(validationIndices), test);
    }
}
