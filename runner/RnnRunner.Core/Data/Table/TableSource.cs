using System.Collections.Concurrent;
using System.Globalization;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Table;

/// <summary>
/// <c>table</c> as an <see cref="IDataSource"/>: rows of a CSV, TSV or JSON Lines file (<see cref="TableReader"/>) →
/// labelled texts → IMDB's tokenising, vocabulary, token cache and report (<see cref="TextPreprocessor"/>); or, for a
/// sequence column, the ids as written (checked below num_words, cut to maxlen).
/// </summary>
[Implements(typeof(TableDataSpec))]
public sealed class TableSource(TableDataSpec spec, DataEnvironment environment) : IDataSource
{
    public TableSource(TableDataSpec spec, DataSourceContext context) : this(spec, context.Environment) { }


    /// <summary>Before loading, whole texts (maxlen null) are sized for this many tokens; once loaded, the longest sets it.</summary>
    public const int WholeTextSteps = 4_096;

    /// <summary>What the training rows hold, found by reading them once: the classes in label order and the longest id sequence.</summary>
    public sealed record Shape(IReadOnlyList<string> Classes, int LongestSequence);

    private string InputColumn => spec.TextColumn ?? spec.SequenceColumn ?? "";
    private bool IsText => spec.TextColumn is not null;

    public DataSignature Describe()
    {
        // Unreadable rows are reported by validation (data.path); the signature then only needs to be plausible.
        var shape = TryInspect();
        var classes = spec.Classes?.Count ?? shape?.Classes.Count ?? 2;
        var steps = spec.Maxlen ?? (IsText ? WholeTextSteps : Math.Max(1, shape?.LongestSequence ?? WholeTextSteps));
        return TextPreprocessor.Signature(spec, steps, Math.Max(2, classes));
    }

    public IEnumerable<DataProblem> Problems()
    {
        var problems = TextDataChecks.Of(spec, spec.Path).ToList();
        if (problems.Any(p => p.Path == "data.path")) return problems;
        if ((spec.TextColumn is null) == (spec.SequenceColumn is null))
            return [.. problems, new DataProblem("data.text_column", "give one of text_column (texts to tokenise) or sequence_column (token ids), not "
                + (spec.TextColumn is null ? "neither" : "both"))];
        if (spec.TestPath is { } test && !File.Exists(test))
            return [.. problems, new DataProblem("data.test_path", $"{test}: no such file (relative paths start from {Environment.CurrentDirectory})")];
        try
        {
            Inspect(spec);
            return problems;
        }
        catch (DatasetException e)
        {
            var at = spec.TestPath is { } t && e.Message.StartsWith(t, StringComparison.Ordinal) ? "data.test_path" : "data.path";
            return [.. problems, new DataProblem(at, e.Message)];
        }
    }

    private Shape? TryInspect()
    {
        try { return File.Exists(spec.Path) && InputColumn.Length > 0 ? Inspect(spec) : null; }
        catch (DatasetException) { return null; }
    }

    private static readonly ConcurrentDictionary<string, Shape> Known = new();

    /// <summary>
    /// Reads the training rows (and the test rows, when in a file of their own) once, checking every cell: a missing
    /// column, a ragged row, an empty label, an id that is not one, a test label the training rows never have.
    /// Remembered per file (path, size, time) and columns.
    /// </summary>
    public static Shape Inspect(TableDataSpec spec)
    {
        var key = string.Join("|", Stamp(spec.Path), spec.TestPath is null ? "" : Stamp(spec.TestPath), spec.Format, spec.Header,
            spec.TextColumn, spec.SequenceColumn, spec.LabelColumn, spec.NumWords, string.Join(",", spec.Classes ?? []));
        if (Known.TryGetValue(key, out var known)) return known;
        var source = new TableSource(spec, new DataEnvironment("", ""));
        var train = source.Rows(spec.Path).ToList();
        if (train.Count == 0) throw new DatasetException($"{spec.Path}: holds no rows");
        var classes = spec.Classes ?? ClassesOf(train);
        if (spec.Classes is null && classes.Count < 2)
            throw new DatasetException($"{spec.Path}: column '{spec.LabelColumn}' has one label ({classes[0]}); a classifier needs two or more");
        var longest = 0;
        foreach (var (path, rows) in new[] { (spec.Path, train) }.Concat(spec.TestPath is { } test ? [(test, source.Rows(test).ToList())] : []))
            foreach (var row in rows)
            {
                source.LabelOf(path, row, classes);
                if (!source.IsText) longest = Math.Max(longest, source.ParseIds(path, row.Line, row.Input).Length);
            }
        return Known[key] = new Shape(classes, longest);
    }

    private static string Stamp(string path) => File.Exists(path)
        ? $"{Path.GetFullPath(path)}:{new FileInfo(path).Length}:{File.GetLastWriteTimeUtc(path).Ticks}" : path;

    /// <summary>The labels of the training rows, sorted: as numbers when every one is a class id, else in ordinal order.</summary>
    private static List<string> ClassesOf(IEnumerable<TableRow> rows)
    {
        var labels = rows.Select(r => r.Label).Distinct().ToList();
        return labels.All(l => int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            ? labels.OrderBy(l => int.Parse(l, CultureInfo.InvariantCulture)).ToList()
            : labels.Order(StringComparer.Ordinal).ToList();
    }

    private IEnumerable<TableRow> Rows(string path) => TableReader.Read(path, spec.Format, spec.Header, InputColumn, spec.LabelColumn);

    private int LabelOf(string path, TableRow row, IReadOnlyList<string> classes)
    {
        if (row.Label.Length == 0) throw new DatasetException($"{path}:{row.Line}: column '{spec.LabelColumn}' is empty");
        var index = classes.ToList().IndexOf(row.Label);
        return index >= 0 ? index : throw new DatasetException(
            $"{path}:{row.Line}: label '{row.Label}' is not one of the classes ({string.Join(", ", classes)}){(path == spec.TestPath ? "; the training rows never have it" : "")}");
    }

    /// <summary>A sequence cell's token ids, each checked to be an id below num_words.</summary>
    private int[] ParseIds(string path, int line, string cell) => ParseIds(spec, path, line, cell);

    /// <summary>A sequence cell's token ids, each checked to be an id below num_words.</summary>
    public static int[] ParseIds(TableDataSpec spec, string path, int line, string cell)
    {
        var where = $"{path}:{line}";
        return ParseNumbers(cell, where, spec.SequenceColumn ?? "").Select(id => id >= 0 && id < spec.NumWords ? (int)id
            : throw new DatasetException($"{where}: column '{spec.SequenceColumn}': id {id} is outside 0..{spec.NumWords - 1} (num_words {spec.NumWords})")).ToArray();
    }

    /// <summary>A cell of whole numbers separated by spaces, tabs or commas (an id sequence as written), not yet range-checked.</summary>
    /// <param name="where">The file and line, for errors.</param>
    public static long[] ParseNumbers(string cell, string where, string column) =>
        cell.Split((char[])[' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries)
            .Select(part => long.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? id
                : throw new DatasetException($"{where}: column '{column}': '{part}' is not a token id")).ToArray();

    public string ContentFingerprint(CancellationToken cancellation) => SourceFingerprint.Of(spec.Path, environment.CacheRoot, cancellation)
        + (spec.TestPath is { } testPath ? "+" + SourceFingerprint.Of(testPath, environment.CacheRoot, cancellation) : "");

    public SourceData Load(int seed, CancellationToken cancellation)
    {
        var shape = Inspect(spec);
        var sha = ContentFingerprint(cancellation);
        var settings = string.Join("|", spec.Format, spec.Header, spec.TextColumn, spec.SequenceColumn, spec.LabelColumn,
            string.Join(",", shape.Classes), spec.TestPath is null ? spec.TestSplit.ToString("R", CultureInfo.InvariantCulture) : "test_path");
        var place = new TokenCache.Place("table", TokenCache.Key(spec, sha, seed, settings, seeded: spec.TestPath is null),
            Path.GetFullPath(spec.Path), sha, shape.Classes.Count);
        return TokenCache.LoadOrBuild(spec, environment, place, () =>
        {
            IReadOnlyList<LabelledText> rows = Labelled(spec.Path, TextPreprocessor.Train, shape.Classes);
            rows = spec.TestPath is { } test
                ? [.. rows, .. Labelled(test, TextPreprocessor.Test, shape.Classes)]
                : TextPreprocessor.SplitOffTest(rows, shape.Classes.Count, spec.TestSplit, seed, "table-test-split");
            if (spec.Limit is { } limit) rows = TextPreprocessor.Subsample(rows, limit, shape.Classes.Count, seed);
            return IsText
                ? TextPreprocessor.Run(spec, rows, shape.Classes, cancellation, environment.Progress, environment.Trained?.Vocabulary)
                : EncodeIds(rows, shape);
        }, keepsVocabulary: IsText);
    }

    /// <summary>A file's rows as labelled texts; a row's id is its line, so an error found later can still name it.</summary>
    private List<LabelledText> Labelled(string path, string split, IReadOnlyList<string> classes) =>
        Rows(path).Select(r => new LabelledText(split, LabelOf(path, r, classes), r.Line, r.Input)).ToList();

    /// <summary>Sequence-column rows: the ids as written, cut to maxlen at the truncating end; padding waits for the batch.</summary>
    private TextPreprocessor.Result EncodeIds(IReadOnlyList<LabelledText> rows, Shape shape)
    {
        var splits = new Dictionary<string, (List<int[]> Ids, int[] Labels, SplitReport Report)>();
        foreach (var split in new[] { TextPreprocessor.Train, TextPreprocessor.Test })
        {
            var ofSplit = rows.Where(r => r.Split == split).ToList();
            var path = split == TextPreprocessor.Test && spec.TestPath is { } testFile ? testFile : spec.Path;
            var ids = new List<int[]>(ofSplit.Count);
            var counts = new List<TextEncoding.Counts>(ofSplit.Count);
            foreach (var row in ofSplit)
            {
                var all = ParseIds(path, row.Id, row.Text);
                var kept = spec.Maxlen is { } maxlen && all.Length > maxlen
                    ? spec.Truncating == SequenceSide.Pre ? all[^maxlen..] : all[..maxlen]
                    : all;
                ids.Add(kept);
                counts.Add(new TextEncoding.Counts(all.Length, spec.OovChar is { } oov ? all.Count(id => id == oov) : 0, all.Length));
            }
            var labels = ofSplit.Select(r => r.Label).ToArray();
            splits[split] = (ids, labels, TextPreprocessor.Report(counts, labels, shape.Classes, spec.Maxlen));
        }
        var signature = TextPreprocessor.Signature(spec, spec.Maxlen ?? Math.Max(1, shape.LongestSequence), shape.Classes.Count);
        var (train, test) = (splits[TextPreprocessor.Train], splits[TextPreprocessor.Test]);
        return new TextPreprocessor.Result(
            SequenceDataset.FromRows(signature, train.Ids, train.Labels, spec.Padding),
            SequenceDataset.FromRows(signature, test.Ids, test.Labels, spec.Padding),
            new Vocabulary([], 0), 0,
            new Dictionary<string, SplitReport> { [TextPreprocessor.Train] = train.Report, [TextPreprocessor.Test] = test.Report });
    }
}
