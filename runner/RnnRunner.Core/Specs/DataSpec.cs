using RnnRunner.Core.Specs.Schema;

namespace RnnRunner.Core.Specs;

/// <summary>Where the examples come from; <c>dataset:</c> picks the concrete record.</summary>
[SpecUnion("dataset")]
public abstract record DataSpec;

/// <summary>Sizes shared by the built-in generated tasks.</summary>
public abstract record SyntheticDataSpec : DataSpec
{
    [Doc("Training examples (validation is split off these by training.validation_split).")]
    [SpecRange(1, 10_000_000)]
    public int TrainSamples { get; init; } = 2000;

    [Doc("Held-out test examples, evaluated once after training.")]
    [SpecRange(0, 10_000_000)]
    public int TestSamples { get; init; } = 500;

    [Doc("Time steps per sequence.")]
    [SpecRange(1, 100_000)]
    public int SequenceLength { get; init; } = 20;
}

[Doc("Built-in, seeded: token sequences made of 'positive', 'negative' and neutral words; the label says whether "
     + "positive words outnumber negative ones. Sequence-to-one binary classification that needs memory across "
     + "time (a miniature IMDB).")]
[SpecName("counting_sentiment")]
public sealed record CountingSentimentDataSpec : SyntheticDataSpec
{
    [Doc("Token ids 0..vocabulary_size-1; the first third are positive words, the second third negative.")]
    [SpecRange(3, 1_000_000)]
    public int VocabularySize { get; init; } = 30;

    [Doc("Give each sequence a random length from min_length to sequence_length, padded with id 0 (words then use "
         + "ids 1..vocabulary_size-1): a miniature of padded text for masking and length batches. null: every "
         + "sequence is sequence_length long.")]
    [SpecRange(0, 100_000)]
    public int? MinLength { get; init; }

    [Doc("Where the padding zeros of shorter sequences go (with min_length): pre (Keras' default) or post.")]
    public SequenceSide Padding { get; init; } = SequenceSide.Pre;
}

[Doc("Built-in, seeded: random token sequences; the target at step t is the token seen `delay` steps before "
     + "(class 0 before that). Sequence-to-sequence classification with a target at every time step.")]
[SpecName("delayed_echo")]
public sealed record DelayedEchoDataSpec : SyntheticDataSpec
{
    [SpecRange(2, 1_000_000)]
    public int VocabularySize { get; init; } = 8;

    [Doc("How many steps back the target echoes.")]
    [SpecRange(0, 100_000)]
    public int Delay { get; init; } = 2;
}

[Doc("Built-in, seeded: a sine wave with random phase, frequency and noise; the target at every step is the "
     + "next clean value. Sequence-to-sequence regression with one input feature.")]
[SpecName("noisy_sine")]
public sealed record NoisySineDataSpec : SyntheticDataSpec
{
    [Doc("Standard deviation of the Gaussian noise added to the inputs.")]
    [SpecRange(0, 10)]
    public double Noise { get; init; } = 0.1;
}

public enum SequenceSide { Pre, Post }

/// <summary>
/// Labelled text, tokenised with Keras' conventions (its Tokenizer's filters and lower-casing, then imdb.load_data's
/// ids): the settings every text dataset shares, so IMDB and a folder of one's own texts encode alike.
/// </summary>
public abstract record TextDataSpec : DataSpec
{
    [Doc("Keep token ids below this (Keras' num_words): the most frequent num_words - index_from words get ids.")]
    [SpecRange(1, 10_000_000)]
    public int NumWords { get; init; } = 10_000;

    [Doc("Treat the N most frequent words as out-of-vocabulary (Keras' skip_top, counted in words).")]
    [SpecRange(0, 10_000_000)]
    public int SkipTop { get; init; }

    [Doc("Length every text is cut to (and, without length batches, padded to); null keeps whole texts, best with "
         + "training.batching.by_length.")]
    [SpecRange(1, 100_000)]
    public int? Maxlen { get; init; } = 500;

    [Doc("Where padding zeros go: pre (Keras' default) or post.")]
    public SequenceSide Padding { get; init; } = SequenceSide.Pre;

    [Doc("Which end of a long text is cut: pre (Keras' default, keeps the ending) or post.")]
    public SequenceSide Truncating { get; init; } = SequenceSide.Pre;

    [Doc("Id marking the start of every text (Keras: 1); null for none.")]
    [SpecRange(0, 10_000_000)]
    public int? StartChar { get; init; } = 1;

    [Doc("Id of out-of-vocabulary words (Keras: 2); null drops them instead.")]
    [SpecRange(0, 10_000_000)]
    public int? OovChar { get; init; } = 2;

    [Doc("The most frequent word gets id index_from + 1 (Keras: 3, so ids 0-3 are reserved).")]
    [SpecRange(0, 10_000_000)]
    public int IndexFrom { get; init; } = 3;

    [Doc("Use at most this many texts per split: a seeded, class-balanced subsample for quick runs.")]
    [SpecRange(2, 10_000_000)]
    public int? Limit { get; init; }
}

[Doc("The Stanford Large Movie Review Dataset (IMDB, Maas et al. 2011): 25,000 training and 25,000 test reviews, "
     + "positive or negative, tokenised with Keras' conventions.")]
[SpecName("imdb")]
public sealed record ImdbDataSpec : TextDataSpec
{
    [Doc("The official aclImdb_v1.tar.gz, a labelled-only copy, or an extracted aclImdb/ folder. When absent, "
         + "data/ (or $RNNRUNNER_DATA) is searched, then the download cache; then the archive is downloaded.")]
    public string? Path { get; init; }
}

[Doc("Your own labelled texts in Keras' text_dataset_from_directory layout: one folder per class holding .txt "
     + "files (labels are the folder names in sorted order), either under train/ and test/ or in one folder split "
     + "by test_split. A .tar.gz, .tgz or .zip of that layout is read in place.")]
[SpecName("text_folder")]
public sealed record TextFolderDataSpec : TextDataSpec
{
    [Doc("The folder, or a .tar.gz/.tgz/.zip of it. A single top-level folder inside (aclImdb/) is entered.")]
    public required string Path { get; init; }

    [Doc("The class folders to use, in label order; default: every class folder, sorted (Keras' class_names). "
         + "Other folders (IMDB's train/unsup) are skipped.")]
    public IReadOnlyList<string>? Classes { get; init; }

    [Doc("Without train/ and test/ folders: the share of each class's texts held out as the test split (seeded).")]
    [SpecRange(0, 1, MaxExclusive = true)]
    public double TestSplit { get; init; } = 0.2;
}

public enum TableFormat { Auto, Csv, Tsv, Jsonl }

[Doc("Your own examples, one per row of a CSV, TSV or JSON Lines file (as a pandas table or Ludwig's input): a text "
     + "column (tokenised as IMDB is) or a column of space-separated token ids, and a label column — class names, or "
     + "class ids 0..K-1.")]
[SpecName("table")]
public sealed record TableDataSpec : TextDataSpec
{
    [Doc("The training rows: a .csv, .tsv or .jsonl file (UTF-8; a byte-order mark is fine).")]
    public required string Path { get; init; }

    [Doc("The test rows, in a file of the same columns; default: test_split of path's rows (seeded, stratified by class).")]
    public string? TestPath { get; init; }

    [Doc("csv, tsv or jsonl; auto goes by the file name's extension.")]
    public TableFormat Format { get; init; } = TableFormat.Auto;

    [Doc("CSV/TSV: the first row names the columns. Without a header, columns are named by position: \"0\", \"1\", ...")]
    public bool Header { get; init; } = true;

    [Doc("The column of texts to tokenise (one of text_column, sequence_column).")]
    public string? TextColumn { get; init; }

    [Doc("The column of already-encoded examples: token ids separated by spaces, each below num_words (0 pads).")]
    public string? SequenceColumn { get; init; }

    [Doc("The column of labels: class names (labels in sorted order, as text folders) or class ids 0..K-1.")]
    public required string LabelColumn { get; init; }

    [Doc("The classes in label order; default: every label of the training rows, sorted (numerically when all are ids).")]
    public IReadOnlyList<string>? Classes { get; init; }

    [Doc("Without test_path: the share of each class's rows held out as the test split (seeded).")]
    [SpecRange(0, 1, MaxExclusive = true)]
    public double TestSplit { get; init; } = 0.2;
}

[Doc("Your own time series: numeric columns of a CSV (one row per time step, oldest first) cut into windows as "
     + "Keras' timeseries_dataset_from_array does; each window's target is the target column's value `horizon` rows "
     + "after its last row. Split by time into train, validation (training.validation_split) and test (the last "
     + "rows), each windowed on its own so no window or target crosses a boundary; inputs normalised with the "
     + "training part's mean and standard deviation.")]
[SpecName("timeseries")]
public sealed record TimeseriesDataSpec : DataSpec
{
    [Doc("A CSV file with a header row (UTF-8), or a NumPy .npy of shape (rows) or (rows, columns) whose columns are named "
         + "by position (\"0\", \"1\", …); one row per time step, oldest first.")]
    public required string Path { get; init; }

    [Doc("The input columns, in order; default: every column of the file.")]
    public IReadOnlyList<string>? Columns { get; init; }

    [Doc("The column to predict (it may be an input column too, as in Keras' weather example).")]
    public required string TargetColumn { get; init; }

    [Doc("Time steps per window (Keras' sequence_length).")]
    [SpecRange(1, 100_000)]
    public int SequenceLength { get; init; } = 24;

    [Doc("Rows between the starts of consecutive windows (Keras' sequence_stride).")]
    [SpecRange(1, 100_000)]
    public int SequenceStride { get; init; } = 1;

    [Doc("Rows between consecutive steps of a window (Keras' sampling_rate).")]
    [SpecRange(1, 100_000)]
    public int SamplingRate { get; init; } = 1;

    [Doc("How many rows after a window's last row its target lies (1: the next row).")]
    [SpecRange(1, 1_000_000)]
    public int Horizon { get; init; } = 1;

    [Doc("The share of rows, at the end, held out as the test part.")]
    [SpecRange(0, 1, MaxExclusive = true)]
    public double TestSplit { get; init; } = 0.2;

    [Doc("Scale every input column to mean 0 and standard deviation 1 with the training part's statistics.")]
    public bool Normalize { get; init; } = true;

    [Doc("Use only the last this-many rows (the most recent), for quick runs; the parts are then cut from them.")]
    [SpecRange(2, 100_000_000)]
    public int? Limit { get; init; }
}

[Doc("Your own NumPy arrays: a .npz (np.savez, or Keras' own imdb.npz) or a folder of .npy files, holding x_train, "
     + "y_train, x_test and y_test. Inputs: integer id sequences (N, T) or object arrays of id lists (tokens), or float "
     + "sequences (N, T) / (N, T, F) (features). Targets: class ids (N) or (N, T), or real values (N), (N, T), "
     + "(N, T, W). Id sequences get the text settings as Keras' imdb.load_data applies them to its raw ids: start_char "
     + "first, ids shifted by index_from, ids at num_words or above (or within skip_top) become oov_char, cut to maxlen; "
     + "for ids that are final already, set index_from: 0, start_char: null, oov_char: null.")]
[SpecName("numpy")]
public sealed record NumpyDataSpec : TextDataSpec
{
    [Doc("A .npz file, or a folder of <name>.npy files.")]
    public required string Path { get; init; }

    [Doc("The arrays' names in the .npz (or the .npy files' names), as Keras' datasets name them.")]
    public string XTrain { get; init; } = "x_train";

    public string YTrain { get; init; } = "y_train";

    public string XTest { get; init; } = "x_test";

    public string YTest { get; init; } = "y_test";

    [Doc("classification (integer targets are class ids) or regression (targets are values); auto: classification for "
         + "integer targets, regression for float ones.")]
    public NumpyTask Task { get; init; } = NumpyTask.Auto;
}

public enum NumpyTask { Auto, Classification, Regression }
