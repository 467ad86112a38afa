using RnnRunner.Core.Data.Text;

namespace RnnRunner.Core.Data;

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
