using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RnnRunner.Core.Data;

/// <summary>How a source's examples met the cache: the entry's key, the source's fingerprint, and whether they were read from it.</summary>
public sealed record CacheUse(string Key, string SourceSha256, bool FromCache);

/// <summary>
/// Prepared examples on disk for sources whose preparation is not tokenising text — NumPy arrays unpickled, made
/// into id or feature sequences and checked — keyed like the token cache by the source's content hash and every setting
/// that changes the examples: a second run, a grid trial or the run after validation reads the examples back
/// instead of parsing and preparing the files again. Kept by <see cref="CacheFile"/>, so a damaged entry is
/// discarded and rebuilt, never trained on.
/// </summary>
public static class ExampleCache
{
    /// <summary>Bump when the layout changes, so old entries are never misread.</summary>
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "RNNEXA01"u8.ToArray();
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private enum ReportKind : byte { None, Text, Numeric }

    /// <summary>The entry's key: the source's fingerprint and the settings, in the order the source lists them.</summary>
    public static string Key(string sourceSha256, params IEnumerable<object?> settings)
    {
        var text = string.Join("|", new object?[] { FormatVersion, sourceSha256 }.Concat(settings)
            .Select(s => Convert.ToString(s, System.Globalization.CultureInfo.InvariantCulture) ?? "none"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
    }

    /// <param name="dataset">The dataset's name (numpy, timeseries): each has its own folder in the cache.</param>
    public static string PathFor(string cacheRoot, string dataset, string key) => Path.Combine(cacheRoot, dataset, $"{key}.examples");

    /// <summary>
    /// The cached examples when the entry is there and sound, else <paramref name="build"/>'s, stored for next time.
    /// Either way the report says which, with the key and the fingerprint.
    /// </summary>
    /// <param name="readReport">Parses the source's own report (preprocessing.json) back from its JSON.</param>
    public static SourceData LoadOrBuild(string path, CacheUse place, Func<SourceData> build, Func<string, IDataReport> readReport)
    {
        if (TryRead(path, readReport) is { } cached) return WithCache(cached, place with { FromCache = true });
        var built = WithCache(build(), place with { FromCache = false });
        TryWrite(path, built);
        return built;
    }

    private static SourceData WithCache(SourceData data, CacheUse cache) => data with
    {
        Report = (Text.PreprocessingReport?)data.Report?.WithCache(cache),
        NumericReport = data.NumericReport?.WithCache(cache),
    };

    /// <summary>The signature of the entry's examples, or null when there is no sound entry: what a source describes without loading.</summary>
    public static DataSignature? TryReadSignature(string path) =>
        CacheFile.TryRead(path, "example cache", reader => ReadHeader(reader));

    /// <summary>Writes the entry; a read-only or full cache only costs speed next time, so it warns and carries on.</summary>
    public static void TryWrite(string path, SourceData data) => CacheFile.TryWrite(path, "example cache", writer => Write(writer, data));

    private static void Write(BinaryWriter writer, SourceData data)
    {
        writer.Write(Magic);
        writer.Write(JsonSerializer.Serialize(data.Train.Signature, Json));
        var (kind, report) = data.Report is { } text ? (ReportKind.Text, text.ToJson())
            : data.NumericReport is { } numeric ? (ReportKind.Numeric, numeric.ToJson()) : (ReportKind.None, "");
        writer.Write((byte)kind);
        writer.Write(report);
        writer.Write(data.Validation is not null);
        WriteSplit(writer, data.Train);
        WriteSplit(writer, data.Test);
        if (data.Validation is { } validation) WriteSplit(writer, validation);
    }

    /// <summary>
    /// The cached examples, or null when there are none. An entry that is damaged, unreadable, or holds a token id or
    /// label outside its signature is deleted with a warning and rebuilt by the caller: it never reaches training.
    /// </summary>
    public static SourceData? TryRead(string path, Func<string, IDataReport> readReport) => CacheFile.TryRead(path, "example cache", reader =>
    {
        var signature = ReadHeader(reader);
        var kind = (ReportKind)reader.ReadByte();
        var report = reader.ReadString();
        var hasValidation = reader.ReadBoolean();
        var train = ReadSplit(reader, signature);
        var test = ReadSplit(reader, signature);
        var validation = hasValidation ? ReadSplit(reader, signature) : null;
        return new SourceData(train, test)
        {
            Validation = validation,
            Report = kind == ReportKind.Text ? Text.PreprocessingReport.FromJson(report) : null,
            NumericReport = kind == ReportKind.Numeric ? readReport(report) : null,
        };
    });

    private static DataSignature ReadHeader(BinaryReader reader)
    {
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("not an example cache entry");
        var signature = JsonSerializer.Deserialize<DataSignature>(reader.ReadString(), Json) ?? throw new InvalidDataException("no signature");
        if (signature.Steps < 1 || signature.InputWidth < 1 || signature.TargetWidth < 1) throw new InvalidDataException($"a signature of {signature}");
        return signature;
    }

    /// <summary>One split's arrays, ids and labels as 16-bit values when they fit (half the bytes to read back).</summary>
    internal static void WriteSplit(BinaryWriter writer, SequenceDataset split)
    {
        writer.Write(split.Count);
        writer.Write((byte)split.Padding);
        WriteArray(writer, split.Offsets);
        WriteIds(writer, split.Tokens);
        WriteArray(writer, split.Features);
        WriteIds(writer, split.Labels);
        WriteArray(writer, split.Values);
    }

    /// <summary>A split <see cref="WriteSplit"/> wrote, its ids and labels checked against <paramref name="signature"/>.</summary>
    internal static SequenceDataset ReadSplit(BinaryReader reader, DataSignature signature)
    {
        var count = reader.ReadInt32();
        if (count < 0) throw new InvalidDataException($"{count} examples");
        var padding = (Specs.SequenceSide)reader.ReadByte();
        var offsets = ReadArray<int>(reader);
        var tokens = ReadIds(reader);
        var features = ReadArray<float>(reader);
        var labels = ReadIds(reader);
        var values = ReadArray<float>(reader);
        CheckRanges(signature, tokens, labels);
        // Lengths and counts that disagree with the signature: SequenceDataset refuses them (ArgumentException).
        return tokens is not null && offsets is not null
            ? SequenceDataset.Ragged(signature, tokens, offsets, padding, labels, values)
            : new SequenceDataset(signature, count, null, features, labels, values);
    }

    /// <summary>
    /// Refuses ids outside the embedding (libtorch would crash mid-epoch) and labels outside the classes (training on
    /// nonsense): what a cache entry that passed its seal but was written by a bug could still hold.
    /// </summary>
    public static void CheckRanges(DataSignature signature, int[]? tokens, int[]? labels)
    {
        if (tokens is { Length: > 0 } && (TensorPrimitives.Min<int>(tokens) < 0 || TensorPrimitives.Max<int>(tokens) >= signature.InputWidth))
            throw new InvalidDataException($"a token id outside 0..{signature.InputWidth - 1}");
        var classes = signature.Target == TargetKind.BinaryPerSequence ? 2 : signature.TargetWidth;
        if (signature.IsClassification && labels is { Length: > 0 } && (TensorPrimitives.Min<int>(labels) < 0 || TensorPrimitives.Max<int>(labels) >= classes))
            throw new InvalidDataException($"a label outside 0..{classes - 1}");
    }

    private static void WriteArray<T>(BinaryWriter writer, T[]? values) where T : unmanaged
    {
        writer.Write(values?.Length ?? -1);
        if (values is not null) writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    /// <summary>Ids as 16-bit values when every one fits (num_words up to 65,536: nearly always), else as 32-bit ones.</summary>
    private static void WriteIds(BinaryWriter writer, int[]? ids)
    {
        var narrow = ids is null || ids.Length == 0 || TensorPrimitives.Min<int>(ids) >= 0 && TensorPrimitives.Max<int>(ids) <= ushort.MaxValue;
        writer.Write(narrow);
        if (!narrow || ids is null) WriteArray(writer, ids);
        else
        {
            var shorts = new ushort[ids.Length];
            TensorPrimitives.ConvertTruncating<int, ushort>(ids, shorts);
            WriteArray(writer, shorts);
        }
    }

    private static int[]? ReadIds(BinaryReader reader)
    {
        if (!reader.ReadBoolean()) return ReadArray<int>(reader);
        if (ReadArray<ushort>(reader) is not { } shorts) return null;
        var ids = new int[shorts.Length];
        TensorPrimitives.ConvertChecked<ushort, int>(shorts, ids);
        return ids;
    }

    private static T[]? ReadArray<T>(BinaryReader reader) where T : unmanaged
    {
        var length = reader.ReadInt32();
        if (length < 0) return null;
        if ((long)length * Marshal.SizeOf<T>() > reader.BaseStream.Length - reader.BaseStream.Position)
            throw new InvalidDataException($"an array of {length} values longer than the entry");
        var values = new T[length];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }
}
