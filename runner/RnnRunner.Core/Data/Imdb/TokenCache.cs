using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Imdb;

/// <summary>
/// Tokenised IMDB on disk, keyed by every preprocessing setting and the source's SHA-256: a second run or a grid
/// trial loads ids instead of re-tokenising, and any changed setting or archive is a different key (a miss).
/// Ids are stored as 16-bit values when num_words allows (half the bytes to read).
/// </summary>
public static class TokenCache
{
    /// <summary>Bump when the tokeniser or file layout changes, so old entries are never misread.</summary>
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = "RNNTOK01"u8.ToArray();

    public static string Key(ImdbDataSpec spec, string sourceSha256, int seed)
    {
        var settings = string.Join("|", FormatVersion, sourceSha256, spec.NumWords, spec.SkipTop, spec.Maxlen,
            spec.Padding, spec.Truncating, spec.StartChar?.ToString() ?? "none", spec.OovChar?.ToString() ?? "none",
            spec.IndexFrom, spec.Limit?.ToString() ?? "all", spec.Limit is null ? "" : seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(settings)))[..24];
    }

    public static string PathFor(string cacheRoot, string key) => Path.Combine(cacheRoot, "imdb", $"{key}.tokens");

    public sealed record Entry(SequenceDataset Train, SequenceDataset Test, Vocabulary Vocabulary, PreprocessingReport Report);

    public static void Write(string path, Entry entry)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(entry.Report.ToJson());
            writer.Write(entry.Vocabulary.DistinctWords);
            writer.Write(entry.Vocabulary.WordsByRank.Count);
            foreach (var word in entry.Vocabulary.WordsByRank) writer.Write(word);
            WriteSplit(writer, entry.Train);
            WriteSplit(writer, entry.Test);
        });
    }

    /// <summary>The cached entry, or null when there is none or it cannot be read (it is then rebuilt).</summary>
    public static Entry? TryRead(string path, DataSignature signature)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) return null;
            var report = PreprocessingReport.FromJson(reader.ReadString());
            var distinct = reader.ReadInt32();
            var words = new string[reader.ReadInt32()];
            for (var i = 0; i < words.Length; i++) words[i] = reader.ReadString();
            var train = ReadSplit(reader, signature);
            var test = ReadSplit(reader, signature);
            return new Entry(train, test, new Vocabulary(words, distinct), report with { FromCache = true });
        }
        catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException or System.Text.Json.JsonException or ArgumentException)
        {
            return null;
        }
    }

    private static void WriteSplit(BinaryWriter writer, SequenceDataset split)
    {
        writer.Write(split.Count);
        var tokens = split.Tokens!;
        var narrow = tokens.All(t => t is >= 0 and <= ushort.MaxValue);
        writer.Write(narrow);
        if (narrow)
        {
            var shorts = new ushort[tokens.Length];
            for (var i = 0; i < tokens.Length; i++) shorts[i] = (ushort)tokens[i];
            writer.Write(MemoryMarshal.AsBytes(shorts.AsSpan()));
        }
        else writer.Write(MemoryMarshal.AsBytes(tokens.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(split.Labels!.AsSpan()));
    }

    private static SequenceDataset ReadSplit(BinaryReader reader, DataSignature signature)
    {
        var count = reader.ReadInt32();
        var tokens = new int[checked(count * signature.Steps)];
        if (reader.ReadBoolean())
        {
            var shorts = new ushort[tokens.Length];
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(shorts.AsSpan()));
            System.Numerics.Tensors.TensorPrimitives.ConvertChecked<ushort, int>(shorts, tokens);
        }
        else reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(tokens.AsSpan()));
        var labels = new int[count];
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(labels.AsSpan()));
        return new SequenceDataset(signature, count, tokens, null, labels, null);
    }
}
