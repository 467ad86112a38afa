namespace RnnRunner.Core.Data.Timeseries;

/// <summary>
/// Parsed series on disk, keyed by the file's content hash and the columns read: a second run, a grid trial or the run
/// after validation reads the checked numbers back instead of parsing the CSV again. The rows are cached, not the
/// windows — windows overlap, so they would cost up to sequence_length times the series, and cutting them is cheap.
/// </summary>
public static class SeriesCache
{
    private static readonly byte[] Magic = "RNNSER01"u8.ToArray();

    /// <summary>The entry's key: the file's fingerprint and the columns read, in order.</summary>
    public static string Key(string sourceSha256, IReadOnlyList<string> columns) => ExampleCache.Key(sourceSha256, ["series", .. columns]);

    public static string PathFor(string cacheRoot, string key) => Path.Combine(cacheRoot, "timeseries", $"{key}.series");

    /// <summary>The cached table when there is a sound entry; else <paramref name="read"/>'s, stored for next time.</summary>
    /// <param name="fromCache">Whether the table came from the cache.</param>
    public static SeriesTable ReadOrParse(string path, IReadOnlyList<string> columns, Func<SeriesTable> read, out bool fromCache)
    {
        var cached = CacheFile.TryRead(path, "series cache", reader => Read(reader, columns));
        fromCache = cached is not null;
        if (cached is not null) return cached;
        var table = read();
        CacheFile.TryWrite(path, "series cache", writer => Write(writer, table));
        return table;
    }

    private static void Write(BinaryWriter writer, SeriesTable table)
    {
        writer.Write(Magic);
        writer.Write(table.Columns.Count);
        foreach (var column in table.Columns) writer.Write(column);
        writer.Write(table.Rows);
        foreach (var row in table.Values)
            foreach (var value in row) writer.Write(value);
    }

    /// <summary>The entry's table, refused unless it holds exactly these columns and only finite numbers (as parsing guarantees).</summary>
    private static SeriesTable Read(BinaryReader reader, IReadOnlyList<string> columns)
    {
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("not a series cache entry");
        var names = Enumerable.Range(0, reader.ReadInt32()).Select(_ => reader.ReadString()).ToList();
        if (!names.SequenceEqual(columns)) throw new InvalidDataException($"columns {string.Join(", ", names)}, not {string.Join(", ", columns)}");
        var rows = reader.ReadInt32();
        if (rows < 0 || (long)rows * names.Count * sizeof(double) != reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"{rows} rows do not fill the entry");
        var values = new double[rows][];
        for (var r = 0; r < rows; r++)
        {
            values[r] = new double[names.Count];
            for (var c = 0; c < names.Count; c++)
                if (!double.IsFinite(values[r][c] = reader.ReadDouble()) || Math.Abs(values[r][c]) > float.MaxValue) throw new InvalidDataException($"row {r} holds {values[r][c]}");
        }
        return new SeriesTable(names, values);
    }
}
