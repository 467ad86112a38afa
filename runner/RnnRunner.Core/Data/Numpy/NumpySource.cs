using System.Diagnostics;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Numpy;

/// <summary>
/// <c>numpy</c> as an <see cref="IDataSource"/>: x_train, y_train, x_test, y_test from a .npz or a folder of .npy
/// files (<see cref="NpyReader"/>). Id sequences (an (N, T) integer array or an object array of lists, as Keras'
/// imdb.npz) become tokens with Keras' imdb.load_data conventions; float arrays become feature sequences. The
/// targets' dtype and shape say the task: class ids or real values, per sequence or per step.
/// </summary>
[Implements(typeof(NumpyDataSpec))]
public sealed class NumpySource(NumpyDataSpec spec, DataEnvironment environment) : IDataSource
{
    public NumpySource(NumpyDataSpec spec, DataSourceContext context) : this(spec, context.Environment) { }


    /// <summary>The four arrays, checked: there, of a kind RnnRunner reads, x and y of one length per split.</summary>
    public sealed record Arrays(NpyArray XTrain, NpyArray YTrain, NpyArray XTest, NpyArray YTest);

    public static Arrays Read(NumpyDataSpec spec)
    {
        var names = new[] { spec.XTrain, spec.YTrain, spec.XTest, spec.YTest };
        IReadOnlyDictionary<string, NpyArray> all = Directory.Exists(spec.Path)
            ? names.Distinct().ToDictionary(n => n, n => NpyReader.ReadAll(Path.Combine(spec.Path, n + ".npy")).Values.Single())
            : NpyReader.ReadAll(spec.Path);
        var missing = names.FirstOrDefault(n => !all.ContainsKey(n));
        if (missing is not null) throw new DatasetException($"{spec.Path}: has no array '{missing}' (it has {string.Join(", ", all.Keys.Order())})");
        var arrays = new Arrays(all[spec.XTrain], all[spec.YTrain], all[spec.XTest], all[spec.YTest]);
        foreach (var (x, y) in new[] { (arrays.XTrain, arrays.YTrain), (arrays.XTest, arrays.YTest) })
            if (x.Length != y.Length) throw new DatasetException($"{spec.Path}: {x.Describe()} and {y.Describe()} differ in length");
        if (arrays.YTrain.Kind == NpyKind.ObjectLists || arrays.YTest.Kind == NpyKind.ObjectLists)
            throw new DatasetException($"{spec.Path}: targets must be a numeric array, not an object array");
        if (IsTokens(arrays.XTrain) != IsTokens(arrays.XTest) || arrays.XTrain.Kind == NpyKind.Float && arrays.XTrain.Shape.Count is < 2 or > 3)
            throw new DatasetException($"{spec.Path}: inputs must be id sequences, (N, T) integers or lists, or float sequences (N, T) or (N, T, F); "
                + $"it has {arrays.XTrain.Describe()} and {arrays.XTest.Describe()}");
        return arrays;
    }

    /// <summary>
    /// The shared text checks, then the arrays read and made into examples (missing, another dtype, unequal lengths, a
    /// bad id or class); the examples are cached, so the run that follows reads them back instead of preparing them again.
    /// </summary>
    public IEnumerable<DataProblem> Problems()
    {
        var problems = TextDataChecks.Of(spec, spec.Path).ToList();
        if (problems.Any(p => p.Path == "data.path")) return problems;
        try
        {
            Load(0, CancellationToken.None);
            return problems;
        }
        catch (DatasetException e)
        {
            return [.. problems, new DataProblem("data.path", e.Message)];
        }
    }

    private static bool IsTokens(NpyArray x) => x.Kind == NpyKind.ObjectLists || x.Kind == NpyKind.Integer && x.Shape.Count == 2;

    private bool IsClassification(Arrays a) => spec.Task == NumpyTask.Classification || spec.Task == NumpyTask.Auto && a.YTrain.Kind == NpyKind.Integer;

    /// <summary>The signature of the examples this source loaded (validation loads them before it describes).</summary>
    private DataSignature? _loaded;

    /// <summary>The loaded or cached examples' signature when there are some; else the arrays are read to find it.</summary>
    public DataSignature Describe()
    {
        if (_loaded is not null) return _loaded;
        if (!File.Exists(spec.Path) && !Directory.Exists(spec.Path)) return TextPreprocessor.Signature(spec, spec.Maxlen ?? 1, 2);
        if (ExampleCache.TryReadSignature(CacheEntry(CancellationToken.None).Path) is { } cached) return cached;
        Arrays arrays;
        try { arrays = Read(spec); }
        catch (DatasetException) { return TextPreprocessor.Signature(spec, spec.Maxlen ?? 1, 2); } // reported by validation at data.path
        // Only whole sequences (maxlen null) need the longest one, and so an encoding pass.
        var longest = IsTokens(arrays.XTrain) && spec.Maxlen is null ? Encode(arrays.XTrain).Concat(Encode(arrays.XTest)).Max(ids => ids.Length) : 0;
        return Signature(arrays, longest);
    }

    /// <summary>A folder's fingerprint is its four arrays' contents (a missing one is found by Read, which the miss leads to).</summary>
    public string ContentFingerprint(CancellationToken cancellation) =>
        !Directory.Exists(spec.Path) ? SourceFingerprint.Of(spec.Path, environment.CacheRoot, cancellation)
            : string.Join("+", new[] { spec.XTrain, spec.YTrain, spec.XTest, spec.YTest }.Select(name => Path.Combine(spec.Path, name + ".npy"))
                .Select(file => File.Exists(file) ? SourceFingerprint.Of(file, environment.CacheRoot, cancellation) : "missing"));

    /// <summary>The cache entry of these arrays' examples: keyed by their content and every setting but limit (applied after).</summary>
    private (string Path, CacheUse Place) CacheEntry(CancellationToken cancellation)
    {
        var sha = ContentFingerprint(cancellation);
        var key = ExampleCache.Key(sha, [.. TokenCache.EncodingSettings(spec), spec.XTrain, spec.YTrain, spec.XTest, spec.YTest, spec.Task]);
        return (ExampleCache.PathFor(environment.CacheRoot, "numpy", key), new CacheUse(key, sha, false));
    }

    private DataSignature Signature(Arrays a, int longestIds)
    {
        var tokens = IsTokens(a.XTrain);
        var steps = tokens ? spec.Maxlen ?? Math.Max(1, longestIds) : (int)a.XTrain.Shape[1];
        var width = tokens ? spec.NumWords : a.XTrain.Shape.Count == 3 ? (int)a.XTrain.Shape[2] : 1;
        var y = a.YTrain;
        var perStep = y.Shape.Count >= 2;
        if (perStep && (tokens && spec.Maxlen is null || y.Shape[1] != steps))
            throw new DatasetException($"{spec.Path}: {y.Describe()} has a target per step, so x must be fixed-length with {y.Shape[1]} steps (set maxlen)");
        TargetKind kind;
        int targetWidth;
        if (IsClassification(a))
        {
            var classes = (int)Math.Max(1, Math.Max(y.Integers!.DefaultIfEmpty().Max(), a.YTest.Integers!.DefaultIfEmpty().Max())) + 1;
            (kind, targetWidth) = perStep ? (TargetKind.ClassesPerStep, classes) : classes == 2 ? (TargetKind.BinaryPerSequence, 2) : (TargetKind.ClassesPerSequence, classes);
        }
        else (kind, targetWidth) = perStep ? (TargetKind.RegressionPerStep, y.Shape.Count == 3 ? (int)y.Shape[2] : 1) : (TargetKind.RegressionPerSequence, 1);
        return new DataSignature(tokens ? InputKind.Tokens : InputKind.Features, width, steps, kind, targetWidth)
        {
            VariableLength = tokens && spec.Maxlen is null,
            ZeroIsPadding = tokens && spec.IndexFrom > 0,
        };
    }

    /// <summary>Id sequences as Keras' imdb.load_data makes them from raw ids: start_char, the index_from shift, oov_char, cut to maxlen.</summary>
    private List<int[]> Encode(NpyArray x) =>
        Enumerable.Range(0, x.Length).Select(n => Transform(spec, x.IntegerRow(n), $"{spec.Path}: {x.Name}[{n}]")).ToList();

    /// <summary>One raw id sequence as Keras' imdb.load_data makes it: start_char, the index_from shift, oov_char, cut to maxlen.</summary>
    /// <param name="where">Names the sequence in an error.</param>
    public static int[] Transform(NumpyDataSpec spec, ReadOnlySpan<long> raw, string where)
    {
        var ids = new List<int>(raw.Length + 1);
        if (spec.StartChar is { } start) ids.Add(start);
        foreach (var w in raw)
        {
            if (w < 0) throw new DatasetException($"{where} holds the id {w}; ids are 0 or more");
            var id = w + spec.IndexFrom;
            if (w > spec.SkipTop && id < spec.NumWords) ids.Add((int)id);
            else if (spec.OovChar is { } oov) ids.Add(oov);
        }
        var kept = ids.ToArray();
        return spec.Maxlen is { } maxlen && kept.Length > maxlen ? spec.Truncating == SequenceSide.Pre ? kept[^maxlen..] : kept[..maxlen] : kept;
    }

    public SourceData Load(int seed, CancellationToken cancellation)
    {
        var (path, place) = CacheEntry(cancellation);
        var data = ExampleCache.LoadOrBuild(path, place, () => Build(cancellation), ArrayReport.FromJson);
        _loaded = data.Train.Signature;
        if (spec.Limit is not { } limit) return data;
        var (train, test) = (Subsample(data.Train, limit, seed, "train"), Subsample(data.Test, limit, seed, "test"));
        return data.Report is { } report
            ? data with { Train = train, Test = test, Report = report with { Splits = Reported(train, test) } }
            : data with { Train = train, Test = test, NumericReport = ValueReport(train, test) with { Cache = (data.NumericReport as ArrayReport)?.Cache } };
    }

    /// <summary>Every example of the arrays, prepared: id sequences encoded, targets checked, each split reported.</summary>
    private SourceData Build(CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var a = Read(spec);
        cancellation.ThrowIfCancellationRequested();
        var tokens = IsTokens(a.XTrain);
        var (trainIds, testIds) = tokens ? (Encode(a.XTrain), Encode(a.XTest)) : (null, null);
        var signature = Signature(a, tokens ? trainIds!.Concat(testIds!).Max(ids => ids.Length) : 0);
        var train = Dataset(signature, a.XTrain, a.YTrain, trainIds);
        var test = Dataset(signature, a.XTest, a.YTest, testIds);
        return IsTextLike(signature)
            ? new SourceData(train, test) { Report = Report(train, test, signature, clock.Elapsed.TotalSeconds) }
            : new SourceData(train, test) { NumericReport = ValueReport(train, test) };
    }

    /// <summary>Id sequences with one class per sequence are reported as texts are (lengths, OOV rate, class balance).</summary>
    private static bool IsTextLike(DataSignature signature) =>
        signature.Input == InputKind.Tokens && signature.Target is TargetKind.BinaryPerSequence or TargetKind.ClassesPerSequence;

    private SequenceDataset Dataset(DataSignature signature, NpyArray x, NpyArray y, List<int[]>? ids)
    {
        int[]? labels = null;
        float[]? values = null;
        if (signature.IsClassification)
            labels = y.Integers?.Select((v, i) => v >= 0 && v < signature.TargetWidth ? (int)v
                : throw new DatasetException($"{spec.Path}: {y.Name}[{i}] is {v}; class ids are 0 or more")).ToArray()
                ?? throw new DatasetException($"{spec.Path}: {y.Describe()} holds floats; classification needs integer class ids (or set task: regression)");
        else values = (y.Floats ?? y.Integers!.Select(v => (double)v).ToArray()).Select(v => (float)v).ToArray();
        if (ids is not null) return SequenceDataset.FromRows(signature, ids, labels, spec.Padding, values);
        var features = x.Floats!.Select(v => (float)v).ToArray();
        return new SequenceDataset(signature, x.Length, null, features, labels, values);
    }

    /// <summary>At most <paramref name="limit"/> examples, a seeded choice kept in their original order.</summary>
    private static SequenceDataset Subsample(SequenceDataset data, int limit, int seed, string split)
    {
        if (data.Count <= limit) return data;
        var chosen = SeededRandom.Permutation(SeededRandom.For(seed, $"numpy-limit-{split}"), data.Count)[..limit];
        Array.Sort(chosen);
        return data.Select(chosen);
    }

    /// <summary>For feature or regression data: each split's input range and its targets' classes or range.</summary>
    private ArrayReport ValueReport(SequenceDataset train, SequenceDataset test)
    {
        ArraySplit Split(SequenceDataset d) => new(d.Count,
            ValueRange.Of(d.Features?.Select(v => (double)v) ?? d.Tokens!.Select(v => (double)v)),
            d.Labels?.GroupBy(l => l).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), g => g.Count()),
            d.Values is { } values ? ValueRange.Of(values.Select(v => (double)v)) : null);
        return new ArrayReport(Path.GetFullPath(spec.Path), [spec.XTrain, spec.YTrain, spec.XTest, spec.YTest],
            new Dictionary<string, ArraySplit> { ["train"] = Split(train), ["test"] = Split(test) });
    }

    private PreprocessingReport Report(SequenceDataset train, SequenceDataset test, DataSignature signature, double seconds) => new()
    {
        Source = Path.GetFullPath(spec.Path), SourceSha256 = "", CacheKey = "", FromCache = false, Seconds = seconds,
        VocabularySize = spec.NumWords, KeptWords = spec.NumWords, Splits = Reported(train, test),
    };

    /// <summary>Each split's lengths, OOV rate and class balance.</summary>
    private Dictionary<string, SplitReport> Reported(SequenceDataset train, SequenceDataset test)
    {
        var classes = Enumerable.Range(0, train.Signature.TargetWidth).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        SplitReport Split(SequenceDataset d) => TextPreprocessor.Report(
            Enumerable.Range(0, d.Count).Select(n => new TextEncoding.Counts(d.LengthOf(n), spec.OovChar is { } oov ? d.TokensOf(n).Count(oov) : 0, d.LengthOf(n))).ToList(),
            d.Labels!, classes, spec.Maxlen);
        return new Dictionary<string, SplitReport> { ["train"] = Split(train), ["test"] = Split(test) };
    }
}
