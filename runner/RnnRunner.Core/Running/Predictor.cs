using System.Globalization;
using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Numpy;
using RnnRunner.Core.Data.Table;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Data.Timeseries;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;

namespace RnnRunner.Core.Running;

/// <summary>One input's prediction: its key (a line, a row, a window's last row), the model's outputs, and a classifier's class.</summary>
/// <param name="Outputs">A binary classifier's probability of its second class; one probability per class; or the predicted values.</param>
public sealed record Prediction(string Key, IReadOnlyList<float> Outputs, string? Label);

/// <summary>
/// A finished run ready to predict: its model with the saved weights, and its inputs' encoding exactly as in training —
/// a text model's vocabulary and Keras tokenising, an id model's conventions (a table's ids as written, NumPy's
/// imdb.load_data shift), a series' windows and normalisation. Predictions stream: inputs are read, batched and
/// predicted as they come, so a large input needs only a batch's memory.
/// </summary>
public sealed class Predictor : IDisposable
{
    private readonly IPredictionModel _model;
    private readonly PredictorInputs _inputs;
    private readonly Func<string, string, int[]>? _encode;

    /// <summary>The class names in label order (a text dataset's, else the label numbers); null for a regression model.</summary>
    public IReadOnlyList<string>? Classes { get; }

    public DataSpec Data => _inputs.Data;

    /// <summary>What one input is: a text, a sequence of ids, a series' CSV of rows, or a NumPy array of feature sequences.</summary>
    public string InputKind => Data switch
    {
        TimeseriesDataSpec => "series",
        NumpyDataSpec when _inputs.Signature.Input == RnnRunner.Core.Data.InputKind.Features => "arrays",
        TableDataSpec { SequenceColumn: not null } or NumpyDataSpec => "ids",
        _ => "text",
    };

    internal Predictor(IPredictionModel model, PredictorInputs inputs, Func<string, string, int[]>? encode, IReadOnlyList<string>? classes) =>
        (_model, _inputs, _encode, Classes) = (model, inputs, encode, classes);

    public static Predictor Open(RunFolder folder, EngineCatalog engines)
    {
        var run = TrainedSpec.Load(folder);
        var encode = Encoder(run.Spec.Data, folder);
        var inputs = new PredictorInputs(run.Spec.Data, run.Plan.Data, run.Spec.Training.BatchSize,
            () => TimeseriesReport.FromJson(folder.ReadDataFile(folder.Preprocessing)));
        return new Predictor(TrainedSpec.BuildModel(run, folder, engines), inputs, encode, TrainedClasses.Of(folder, run.Plan.Data)?.Names);
    }

    /// <summary>How one input (its text, and where it is for errors) becomes token ids, as in training; null for a series.</summary>
    private static Func<string, string, int[]>? Encoder(DataSpec data, RunFolder folder) => data switch
    {
        TimeseriesDataSpec => null,
        TableDataSpec { SequenceColumn: not null } table => (text, where) => Cut(table, TableSource.ParseIds(table, where, 0, text)),
        NumpyDataSpec numpy => (text, where) => NumpySource.Transform(numpy, TableSource.ParseNumbers(text, where, "ids"), where),
        TextDataSpec text when File.Exists(folder.Vocabulary) => new TextEncoding(text, Vocabulary.Parse(folder.ReadDataFile(folder.Vocabulary), folder.Vocabulary)) is var encoding
            ? (input, _) => encoding.EncodeIds(input).Ids : null,
        _ => throw new DatasetException(
            $"{folder.Path}: predict needs a model of text, ids or a time series; this run was trained on {SpecSchema.UnionOf(typeof(DataSpec)).NameOf(data.GetType())}"),
    };

    private static int[] Cut(TextDataSpec spec, int[] ids) =>
        spec.Maxlen is { } maxlen && ids.Length > maxlen ? spec.Truncating == SequenceSide.Pre ? ids[^maxlen..] : ids[..maxlen] : ids;

    /// <summary>Predictions for texts or id sequences (each with its key), a batch at a time.</summary>
    public IEnumerable<Prediction> Predict(IEnumerable<(string Key, string Input)> inputs)
    {
        var encode = _encode ?? throw new DatasetException($"this model takes {InputKind}, not texts or id sequences");
        return PredictIds(inputs.Select(i => (i.Key, encode(i.Input, i.Key))));
    }

    /// <summary>
    /// Predictions for a NumPy array (an .npy, or a .npz's <paramref name="name"/>, default x_test): id sequences with the
    /// run's conventions, or feature sequences of the shape the model takes. The array is read whole.
    /// </summary>
    public IEnumerable<Prediction> PredictArray(string path, string? name)
    {
        var arrays = NpyReader.ReadAll(path);
        var x = name is not null ? arrays.GetValueOrDefault(name) : arrays.Count == 1 ? arrays.Values.Single() : arrays.GetValueOrDefault("x_test");
        if (x is null) throw new DatasetException($"{path}: has no array '{name ?? "x_test"}' (it has {string.Join(", ", arrays.Keys.Order())}); name one with --column");
        var keys = Enumerable.Range(0, x.Length).Select(n => string.Create(CultureInfo.InvariantCulture, $"{path}:{x.Name}[{n}]")).ToList();
        if (_inputs.Signature.Input == RnnRunner.Core.Data.InputKind.Tokens)
        {
            var numpy = Data as NumpyDataSpec ?? throw new DatasetException($"{path}: arrays go to a model trained on NumPy data");
            return PredictIds(keys.Select((key, n) => (key, NumpySource.Transform(numpy, x.IntegerRow(n), key))));
        }
        var signature = _inputs.Signature;
        var expected = signature.InputWidth == 1 ? $"(N, {signature.Steps}) or (N, {signature.Steps}, 1)" : $"(N, {signature.Steps}, {signature.InputWidth})";
        if (x.Kind != NpyKind.Float || x.Shape.Count is < 2 or > 3 || x.Shape[1] != signature.Steps || (x.Shape.Count == 3 ? x.Shape[2] : 1) != signature.InputWidth)
            throw new DatasetException($"{path}: {x.Describe()}; the model takes float sequences {expected}");
        var data = new SequenceDataset(signature, x.Length, null, x.Floats!.Select(v => (float)v).ToArray(),
            signature.IsClassification ? new int[x.Length * signature.TargetsPerExample] : null,
            signature.IsClassification ? null : new float[x.Length * signature.TargetsPerExample]);
        return Run(data, keys);
    }

    private IEnumerable<Prediction> PredictIds(IEnumerable<(string Key, int[] Ids)> inputs)
    {
        var batchSize = Math.Max(1, _inputs.BatchSize);
        foreach (var chunk in inputs.Chunk(batchSize))
        {
            var ids = chunk.Select(i => i.Ids).ToList();
            var maxlen = (Data as TextDataSpec)?.Maxlen;
            // Padded to maxlen as in training; whole texts (maxlen null) to the longest of the batch.
            var signature = _inputs.Signature with { Steps = maxlen ?? Math.Max(1, ids.Max(i => i.Length)) };
            var padding = (Data as TextDataSpec)?.Padding ?? SequenceSide.Pre;
            var data = signature.IsClassification
                ? SequenceDataset.FromRows(signature, ids, new int[chunk.Length * signature.TargetsPerExample], padding)
                : SequenceDataset.FromRows(signature, ids, null, padding, new float[chunk.Length * signature.TargetsPerExample]);
            foreach (var p in Run(data, chunk.Select(c => c.Key).ToList())) yield return p;
        }
    }

    /// <summary>
    /// A series model's prediction for every window of <paramref name="csv"/> (the training input columns, the trained
    /// normalisation), keyed by the CSV line of the window's last row: the target lies horizon rows after it.
    /// </summary>
    public IEnumerable<Prediction> PredictSeries(string csv)
    {
        var series = (TimeseriesDataSpec)Data;
        var report = _inputs.SeriesReport();
        var source = new TimeseriesSource(series with { Path = csv, Columns = report.Columns }, 0, report.Normalized ? report.Statistics : null);
        var data = source.PredictionWindows(out var lastRows);
        return Run(data, lastRows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{csv}:{r + 2}")).ToList()); // line 1 is the header
    }

    private IEnumerable<Prediction> Run(SequenceDataset data, IReadOnlyList<string> keys)
    {
        var signature = data.Signature;
        var batchSize = Math.Max(1, _inputs.BatchSize);
        var batch = new Batch(signature, Math.Min(batchSize, Math.Max(1, data.Count)));
        for (var start = 0; start < data.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, data.Count - start);
            data.FillBatch(Enumerable.Range(start, count).ToArray(), batch);
            var outputs = _model.Predict(batch).ToArray();
            var each = outputs.Length / count;
            for (var i = 0; i < count; i++)
            {
                var values = outputs[(i * each)..((i + 1) * each)];
                yield return new Prediction(keys[start + i], values, Label(values, signature));
            }
        }
    }

    private string? Label(float[] outputs, DataSignature signature) => Classes is null || signature.TargetIsSequence ? null
        : signature.Target == TargetKind.BinaryPerSequence ? Classes[outputs[0] >= 0.5f ? 1 : 0]
        : Classes[Array.IndexOf(outputs, outputs.Max())];

    public void Dispose() => _model.Dispose();
}

/// <summary>
/// How a predictor reads its inputs: the data settings (a text model's encoding, maxlen, padding), the signature the
/// model takes, the batch size, and a series' preprocessing report (its columns and normalisation), read when needed.
/// </summary>
internal sealed record PredictorInputs(DataSpec Data, DataSignature Signature, int BatchSize, Func<TimeseriesReport> SeriesReport);
