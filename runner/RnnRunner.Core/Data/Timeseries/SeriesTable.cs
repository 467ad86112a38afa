using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using RnnRunner.Core.Storage;

namespace RnnRunner.Core.Data.Timeseries;

/// <summary>
/// A time series read from a CSV with a header row (or an .npy, columns named by position): every column's values as
/// doubles, row by row. A value that is not
/// a finite number (empty, text, NaN, ∞) is one error naming the file, line and column — missing values are the user's
/// to fill or drop, as pandas would make them.
/// </summary>
public sealed record SeriesTable(IReadOnlyList<string> Columns, double[][] Values)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public int Rows => Values.Length;

    public double[] Column(string name) => Values.Select(row => row[IndexOf(name)]).ToArray();

    public int IndexOf(string name) => Columns.ToList().IndexOf(name);

    private static bool IsNpy(string path) => path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase);

    /// <summary>A (rows) or (rows, columns) .npy array as a table whose columns are named by position: "0", "1", ….</summary>
    private static SeriesTable FromNpy(string path)
    {
        var array = Numpy.NpyReader.ReadAll(path).Values.Single();
        if (array.Kind == Numpy.NpyKind.ObjectLists || array.Shape.Count is < 1 or > 2)
            throw new DatasetException($"{path}: {array.Describe()}; a series is a (rows) or (rows, columns) numeric array");
        var width = array.Shape.Count == 2 ? (int)array.Shape[1] : 1;
        var values = array.Floats ?? array.Integers!.Select(v => (double)v).ToArray();
        var rows = new double[array.Length][];
        for (var r = 0; r < rows.Length; r++)
        {
            rows[r] = values[(r * width)..((r + 1) * width)];
            if (Array.FindIndex(rows[r], v => !double.IsFinite(v)) is >= 0 and var bad)
                throw new DatasetException(string.Create(CultureInfo.InvariantCulture,
                    $"{path}: row {r}, column {bad}: {rows[r][bad]} is not a finite number (fill or drop missing values first)"));
        }
        return new SeriesTable(Enumerable.Range(0, width).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToList(), rows);
    }

    /// <summary>The header row's column names (an .npy's columns are named by position).</summary>
    public static IReadOnlyList<string> Header(string path)
    {
        if (IsNpy(path)) return FromNpy(path).Columns;
        using var reader = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { MaxFieldSize = BoundedRead.MaxLineChars });
        if (!csv.Read()) throw new DatasetException($"{path}: is empty (no header row)");
        csv.ReadHeader();
        return csv.HeaderRecord!;
    }

    /// <summary>
    /// The columns, from the series cache under <paramref name="cacheRoot"/> when the file's content was parsed before
    /// (else parsed and cached); without a cache root, parsed.
    /// </summary>
    /// <param name="cache">The entry used, with whether the table came from it; null without a cache root.</param>
    public static SeriesTable Read(string path, IReadOnlyList<string> columns, string? cacheRoot, out CacheUse? cache)
    {
        cache = null;
        if (cacheRoot is null) return Read(path, columns);
        var sha = SourceFingerprint.Of(path, cacheRoot);
        var key = SeriesCache.Key(sha, columns);
        var table = SeriesCache.ReadOrParse(SeriesCache.PathFor(cacheRoot, key), columns, () => Read(path, columns), out var fromCache);
        cache = new CacheUse(key, sha, fromCache);
        return table;
    }

    /// <param name="columns">The columns to read (checked to exist); the others are skipped.</param>
    public static SeriesTable Read(string path, IReadOnlyList<string> columns)
    {
        if (IsNpy(path))
        {
            var all = FromNpy(path);
            var indexes = columns.Select(c => all.IndexOf(c) is >= 0 and var i ? i
                : throw new DatasetException($"{path}: has no column '{c}' (its columns, by position: {string.Join(", ", all.Columns)})")).ToArray();
            return new SeriesTable(columns, all.Values.Select(row => indexes.Select(i => row[i]).ToArray()).ToArray());
        }
        try
        {
            using var reader = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true);
            using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
            { DetectColumnCountChanges = false, MissingFieldFound = null, MaxFieldSize = BoundedRead.MaxLineChars });
            if (!csv.Read()) throw new DatasetException($"{path}: is empty (no header row)");
            csv.ReadHeader();
            var header = csv.HeaderRecord!;
            var indexes = columns.Select(c => Array.IndexOf(header, c) is >= 0 and var i ? i
                : throw new DatasetException($"{path}:1: has no column '{c}' (its columns: {string.Join(", ", header)})")).ToArray();
            var rows = new List<double[]>();
            while (csv.Read())
            {
                var line = csv.Parser.RawRow;
                var row = new double[indexes.Length];
                for (var c = 0; c < indexes.Length; c++)
                {
                    if (indexes[c] >= csv.Parser.Count)
                        throw new DatasetException($"{path}:{line}: has {csv.Parser.Count} field(s); column '{columns[c]}' is field {indexes[c] + 1}");
                    var text = csv.GetField(indexes[c]) ?? "";
                    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out row[c]) || !double.IsFinite(row[c]))
                        throw new DatasetException($"{path}:{line}: column '{columns[c]}': {(text.Trim().Length == 0 ? "is empty" : $"'{text}' is not a finite number")} "
                            + "(fill or drop missing values first)");
                    if (Math.Abs(row[c]) > float.MaxValue)
                        throw new DatasetException($"{path}:{line}: column '{columns[c]}': '{text}' is beyond ±3.4e38, the range of the 32-bit floats models compute in");
                }
                rows.Add(row);
            }
            return new SeriesTable(columns, rows.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw new DatasetException($"{path}: is not UTF-8 text (save it as UTF-8)");
        }
        catch (CsvHelperException e) when (e.InnerException is DatasetException inner)
        {
            throw inner;
        }
        catch (MaxFieldSizeException e)
        {
            throw new DatasetException($"{path}:{e.Context?.Parser?.RawRow}: a field of more than {BoundedRead.MaxLineChars:N0} characters, the most one cell may be");
        }
    }
}
