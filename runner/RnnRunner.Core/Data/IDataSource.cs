using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Settings;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data;

/// <summary>Where datasets are looked for and derived files are cached; from the environment by default.</summary>
/// <param name="DataRoot">Local dataset copies (the Makefile links the shared datasets here): $RNNRUNNER_DATA or ./data.</param>
/// <param name="CacheRoot">Downloads and tokenised data: $RNNRUNNER_CACHE, else $XDG_CACHE_HOME/rnnrunner, else ~/.cache/rnnrunner.</param>
public sealed record DataEnvironment(string DataRoot, string CacheRoot)
{
    /// <summary>Told about downloads, reading and tokenising as they go.</summary>
    public IProgress<DataProgress>? Progress { get; init; }

    /// <summary>
    /// What a trained run fixes about its inputs, for evaluating it on other data: the vocabulary texts are encoded
    /// with (instead of one built from these data) and a series' normalisation statistics (instead of refitted ones).
    /// </summary>
    public TrainedInputs? Trained { get; init; }

    public static DataEnvironment Of(Switchboard switches) =>
        new(Path.GetFullPath(switches.DataRoot ?? "data"), Path.GetFullPath(switches.CacheRoot));

    /// <summary>This process's (<see cref="Switchboard.Current"/>).</summary>
    public static DataEnvironment FromEnvironment() => Of(Switchboard.Current);
}

/// <summary>A dataset's preprocessing report, written to the run folder as preprocessing.json.</summary>
public interface IDataReport
{
    string ToJson();

    /// <summary>The same report, saying which cache entry the examples came from or went into.</summary>
    IDataReport WithCache(CacheUse cache);
}

/// <summary>A trained run's input encoding, reused when its model meets other data (see <see cref="DataEnvironment.Trained"/>).</summary>
public sealed record TrainedInputs(Vocabulary? Vocabulary, IReadOnlyDictionary<string, Timeseries.ColumnStatistics>? SeriesStatistics);

/// <summary>Examples a source produced, with what text sources add: the vocabulary and a preprocessing report.</summary>
public sealed record SourceData(SequenceDataset Train, SequenceDataset Test)
{
    public Vocabulary? Vocabulary { get; init; }
    public PreprocessingReport? Report { get; init; }
    /// <summary>
    /// The validation examples, when the source must choose them itself (a time series: the part before the test part,
    /// never shuffled across a boundary); null lets validation_split take a seeded random share of the training examples.
    /// </summary>
    public SequenceDataset? Validation { get; init; }
    /// <summary>The report of data that are not text (a series' parts and normalisation, arrays' value ranges), for preprocessing.json.</summary>
    public IDataReport? NumericReport { get; init; }
}

/// <summary>What makes a data section unusable, at the spec path at fault (data.path, data.classes…).</summary>
public sealed record DataProblem(string Path, string Message);

/// <summary>One kind of dataset: what it produces (known from the spec), what is wrong with it, and how to load it.</summary>
public interface IDataSource
{
    /// <summary>Inputs and targets the model must fit, derived from the spec without loading anything.</summary>
    DataSignature Describe();

    /// <summary>
    /// Every reason these data cannot be loaded — a missing file, a malformed row, a class that is not there —
    /// checked when the spec is, so a bad data section is an invalid spec (exit 2, nothing written).
    /// </summary>
    IEnumerable<DataProblem> Problems() => [];

    /// <summary>Loads (or generates) the training and test examples.</summary>
    SourceData Load(int seed, CancellationToken cancellation);

    /// <summary>
    /// A fingerprint of the data's content (the files' SHA-256s), part of a grid trial's identity so that a trial trained
    /// on other bytes is never reused as this one; "" for generated data, whose spec is its content.
    /// </summary>
    string ContentFingerprint(CancellationToken cancellation) => "";
}

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
