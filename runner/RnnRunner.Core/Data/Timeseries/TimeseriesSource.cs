using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Timeseries;

/// <summary>
/// <c>timeseries</c> as an <see cref="IDataSource"/>: a CSV's rows (<see cref="SeriesTable"/>) split by time into
/// train | validation | test parts, each cut into windows on its own (so no window or target reaches across a
/// boundary), inputs normalised with the training part's statistics. Windows follow Keras'
/// timeseries_dataset_from_array: window i holds rows start, start + sampling_rate, …, (sequence_length rows), starts
/// are sequence_stride apart, and its target is the target column <c>horizon</c> rows after its last row.
/// </summary>
/// <param name="trainedStatistics">A trained run's normalisation, to apply instead of fitting one (evaluate, predict).</param>
/// <param name="cacheRoot">Where parsed series are cached (<see cref="SeriesCache"/>); null parses the file every time.</param>
[Implements(typeof(TimeseriesDataSpec))]
public sealed class TimeseriesSource(TimeseriesDataSpec spec, double validationSplit,
    IReadOnlyDictionary<string, ColumnStatistics>? trainedStatistics = null, string? cacheRoot = null) : IDataSource
{
    public TimeseriesSource(TimeseriesDataSpec spec, DataSourceContext context) : this(spec, context.ValidationSplit, context.Environment.Trained?.SeriesStatistics, context.Environment.CacheRoot) { }


    public const string Train = "train", Validation = "validation", Test = "test";

    public string ContentFingerprint(CancellationToken cancellation) =>
        SourceFingerprint.Of(spec.Path, cacheRoot ?? DataEnvironment.FromEnvironment().CacheRoot, cancellation);

    public DataSignature Describe()
    {
        var width = spec.Columns?.Count ?? TryHeader()?.Count ?? 1;
        return new DataSignature(InputKind.Features, Math.Max(1, width), spec.SequenceLength, TargetKind.RegressionPerSequence, 1);
    }

    /// <summary>The series is there, numeric in every column it names, and long enough for a window in every part.</summary>
    public IEnumerable<DataProblem> Problems()
    {
        if (!File.Exists(spec.Path))
            return [new DataProblem("data.path", $"{spec.Path}: no such file (relative paths start from {Environment.CurrentDirectory})")];
        SeriesTable table;
        try
        {
            table = Read();
        }
        catch (DatasetException e)
        {
            return [new DataProblem("data.path", e.Message)];
        }
        return WindowProblem(table.Rows) is { } tooShort ? [new DataProblem("data.sequence_length", tooShort)] : [];
    }

    private IReadOnlyList<string>? TryHeader()
    {
        try { return File.Exists(spec.Path) ? SeriesTable.Header(spec.Path) : null; }
        catch (Exception e) when (e is DatasetException or IOException) { return null; }
    }

    /// <summary>Rows one window and its target span: the window's steps and the horizon after its last one.</summary>
    public int RowsPerWindow => (spec.SequenceLength - 1) * spec.SamplingRate + spec.Horizon + 1;

    /// <summary>The parts' row ranges [first, end): the last test_split of the rows is test, validation_split of the rest before it is validation.</summary>
    public IReadOnlyDictionary<string, (int First, int End)> Parts(int rows)
    {
        var test = (int)Math.Round(rows * spec.TestSplit);
        var validation = (int)Math.Round((rows - test) * validationSplit);
        var train = rows - test - validation;
        return new Dictionary<string, (int, int)> { [Train] = (0, train), [Validation] = (train, train + validation), [Test] = (train + validation, rows) };
    }

    private IReadOnlyList<string> InputColumns() => spec.Columns ?? SeriesTable.Header(spec.Path);

    /// <summary>
    /// Reads the series (its last <c>limit</c> rows, with a limit): every column there and every value a finite number,
    /// else a <see cref="DatasetException"/> naming it.
    /// </summary>
    public SeriesTable Read() => Read(out _);

    /// <param name="cache">The cache entry the parsed series came from or went into; null without a cache.</param>
    private SeriesTable Read(out CacheUse? cache)
    {
        var columns = InputColumns().Append(spec.TargetColumn).Distinct().ToList();
        var table = SeriesTable.Read(spec.Path, columns, cacheRoot, out cache);
        return spec.Limit is { } limit && table.Rows > limit ? table with { Values = table.Values[^limit..] } : table;
    }

    /// <summary>Why <paramref name="rows"/> rows cannot give every part asked for at least one window, or null.</summary>
    public string? WindowProblem(int rows)
    {
        foreach (var (part, (first, end)) in Parts(rows))
        {
            var asked = part == Train || part == Validation && validationSplit > 0 || part == Test && spec.TestSplit > 0;
            if (asked && end - first < RowsPerWindow)
                return $"{spec.Path}: the {part} part has {end - first} rows (of {rows}); one window needs {RowsPerWindow} "
                    + "((sequence_length - 1) × sampling_rate + horizon + 1); use more rows, a shorter window or a smaller split";
        }
        return null;
    }

    public SourceData Load(int seed, CancellationToken cancellation)
    {
        var inputs = InputColumns();
        var table = Read(out var cache);
        if (WindowProblem(table.Rows) is { } problem) throw new DatasetException(problem);
        var parts = Parts(table.Rows);
        var (trainFirst, trainEnd) = parts[Train];
        var statistics = trainedStatistics is not null
            ? inputs.ToDictionary(c => c, c => trainedStatistics.TryGetValue(c, out var s) ? s
                : throw new DatasetException($"{spec.Path}: column '{c}' was not an input of the trained run (its inputs: {string.Join(", ", trainedStatistics.Keys)})"))
            : inputs.ToDictionary(c => c, c => Statistics(table.Column(c)[trainFirst..trainEnd]));
        var windows = parts.ToDictionary(p => p.Key, p => Windows(table, inputs, statistics, p.Value.First, p.Value.End, cancellation));
        var target = table.Column(spec.TargetColumn);
        var report = new TimeseriesReport
        {
            Source = Path.GetFullPath(spec.Path), Rows = table.Rows, Columns = inputs, Target = spec.TargetColumn, Normalized = spec.Normalize,
            Statistics = statistics,
            Parts = parts.Where(p => p.Value.End > p.Value.First).ToDictionary(p => p.Key, p => Part(target, p.Value.First, p.Value.End, windows[p.Key].Count)),
            Cache = cache,
        };
        return new SourceData(windows[Train], windows[Test]) { Validation = windows[Validation], NumericReport = report };
    }

    /// <summary>The windows that fit in rows [first, end), with their targets, in time order.</summary>
    private SequenceDataset Windows(SeriesTable table, IReadOnlyList<string> inputs, IReadOnlyDictionary<string, ColumnStatistics> statistics,
        int first, int end, CancellationToken cancellation)
    {
        var starts = new List<int>();
        for (var start = first; start + RowsPerWindow <= end; start += spec.SequenceStride) starts.Add(start);
        var target = table.IndexOf(spec.TargetColumn);
        var values = starts.Select(s => (float)table.Values[s + (spec.SequenceLength - 1) * spec.SamplingRate + spec.Horizon][target]).ToArray();
        return new SequenceDataset(Describe() with { InputWidth = inputs.Count }, starts.Count, null,
            Features(table, inputs, statistics, starts, cancellation), null, values);
    }

    /// <summary>
    /// For prediction: every window of the file's rows (no target needed: the file may lack the target column), with
    /// the trained normalisation; <paramref name="lastRows"/> gets each window's last row (0-based).
    /// </summary>
    public SequenceDataset PredictionWindows(out IReadOnlyList<int> lastRows)
    {
        var inputs = InputColumns();
        var table = SeriesTable.Read(spec.Path, inputs);
        var span = (spec.SequenceLength - 1) * spec.SamplingRate + 1;
        var starts = new List<int>();
        for (var start = 0; start + span <= table.Rows; start += spec.SequenceStride) starts.Add(start);
        if (starts.Count == 0) throw new DatasetException($"{spec.Path}: has {table.Rows} rows; one window needs {span}");
        var statistics = trainedStatistics ?? inputs.ToDictionary(c => c, _ => new ColumnStatistics(0, 1, 0, 0));
        lastRows = starts.Select(s => s + span - 1).ToList();
        return new SequenceDataset(Describe() with { InputWidth = inputs.Count }, starts.Count, null,
            Features(table, inputs, statistics, starts, CancellationToken.None), null, new float[starts.Count]);
    }

    /// <summary>The windows' inputs, (N, T, F): sequence_length rows sampling_rate apart from each start, normalised when asked.</summary>
    private float[] Features(SeriesTable table, IReadOnlyList<string> inputs, IReadOnlyDictionary<string, ColumnStatistics> statistics,
        List<int> starts, CancellationToken cancellation)
    {
        var features = new float[starts.Count * spec.SequenceLength * inputs.Count];
        var columns = inputs.Select(table.IndexOf).ToArray();
        for (var w = 0; w < starts.Count; w++)
        {
            cancellation.ThrowIfCancellationRequested();
            for (var t = 0; t < spec.SequenceLength; t++)
            {
                var row = table.Values[starts[w] + t * spec.SamplingRate];
                for (var f = 0; f < columns.Length; f++)
                {
                    var s = statistics[inputs[f]];
                    var value = row[columns[f]];
                    features[(w * spec.SequenceLength + t) * columns.Length + f] = (float)(spec.Normalize ? (value - s.Mean) / s.Std : value);
                }
            }
        }
        return features;
    }

    /// <summary>Mean and population standard deviation (1 for a constant column, so it normalises to 0), with the range.</summary>
    private static ColumnStatistics Statistics(double[] values)
    {
        var mean = values.Average();
        var std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        return new ColumnStatistics(mean, std > 0 ? std : 1, values.Min(), values.Max());
    }

    private static SeriesPart Part(double[] target, int first, int end, int windows) =>
        new(first, end - 1, windows, target[first..end].Min(), target[first..end].Max(), target[first..end].Average());
}
