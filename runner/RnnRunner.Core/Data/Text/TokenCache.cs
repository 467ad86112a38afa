using System.Security.Cryptography;
using System.Text;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Text;

/// <summary>
/// Tokenised IMDB on disk, keyed by every preprocessing setting and the source's SHA-256: a second run or a grid
/// trial loads ids instead of re-tokenising, and any changed setting or archive is a different key (a miss).
/// Ids are stored as 16-bit values when num_words allows (half the bytes to read).
/// </summary>
public static class TokenCache
{
    /// <summary>Bump when the tokeniser or file layout changes, so old entries are never misread.</summary>
    public const int FormatVersion = 4;
    private static readonly byte[] Magic = "RNNTOK04"u8.ToArray();

    /// <summary>
    /// The entry's key: the source's content hash and every setting that changes the ids — the tokenisation settings,
    /// the dataset's own (<paramref name="datasetSettings"/>: its classes, its test split) and, with a limit or a seeded
    /// split, the seed.
    /// </summary>
    public static string Key(TextDataSpec spec, string sourceSha256, int seed, string datasetSettings = "", bool seeded = false)
    {
        var usesSeed = seeded || spec.Limit is not null;
        object[] settings = [FormatVersion, sourceSha256, .. EncodingSettings(spec), spec.Limit?.ToString() ?? "all",
            usesSeed ? seed.ToString(System.Globalization.CultureInfo.InvariantCulture) : "", datasetSettings];
        var text = string.Join("|", settings);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];
    }

    /// <summary>The settings that change how ids are made from words or raw ids, as a cache key lists them.</summary>
    public static IEnumerable<object> EncodingSettings(TextDataSpec spec) =>
        [spec.NumWords, spec.SkipTop, spec.Maxlen?.ToString() ?? "whole", spec.Padding, spec.Truncating,
         spec.StartChar?.ToString() ?? "none", spec.OovChar?.ToString() ?? "none", spec.IndexFrom];

    /// <param name="dataset">The dataset's name (imdb, text_folder): each has its own folder in the cache.</param>
    public static string PathFor(string cacheRoot, string dataset, string key) => Path.Combine(cacheRoot, dataset, $"{key}.tokens");

    public sealed record Entry(SequenceDataset Train, SequenceDataset Test, Vocabulary Vocabulary, PreprocessingReport Report);

    /// <summary>Where a text source's examples are cached: its dataset's folder, its key, the source and its fingerprint for the report.</summary>
    public sealed record Place(string Dataset, string Key, string Source, string SourceSha256, int Classes);

    /// <summary>
    /// The round every text source makes: the cached ids when there are (and they are not to be encoded with a trained
    /// run's vocabulary: those ids are that run's alone, never cached under the data's key), else <paramref name="build"/>,
    /// reported and stored.
    /// </summary>
    /// <param name="keepsVocabulary">Whether the examples come with a vocabulary (texts do; id sequences do not).</param>
    public static SourceData LoadOrBuild(TextDataSpec spec, DataEnvironment environment, Place place, Func<TextPreprocessor.Result> build,
        bool keepsVocabulary = true)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var path = PathFor(environment.CacheRoot, place.Dataset, place.Key);
        var trained = environment.Trained?.Vocabulary;
        if (trained is null && TryRead(path, spec, place.Classes) is { } cached)
            return new SourceData(cached.Train, cached.Test)
            {
                Vocabulary = keepsVocabulary ? cached.Vocabulary : null,
                Report = cached.Report with { Source = place.Source, Seconds = clock.Elapsed.TotalSeconds },
            };
        var result = build();
        var report = new PreprocessingReport
        {
            Source = place.Source, SourceSha256 = place.SourceSha256, CacheKey = place.Key, FromCache = false, Seconds = clock.Elapsed.TotalSeconds,
            VocabularySize = result.DistinctWords, KeptWords = result.Vocabulary.WordsByRank.Count, Splits = result.Splits,
        };
        if (trained is null) TryWrite(path, new Entry(result.Train, result.Test, result.Vocabulary, report));
        return new SourceData(result.Train, result.Test) { Vocabulary = keepsVocabulary ? result.Vocabulary : null, Report = report };
    }

    /// <summary>Writes the entry; a read-only or full cache only costs speed next time, so it warns and carries on.</summary>
    public static void TryWrite(string path, Entry entry) => CacheFile.TryWrite(path, "token cache", writer => Write(writer, entry));

    private static void Write(BinaryWriter writer, Entry entry)
    {
        writer.Write(Magic);
        writer.Write(entry.Report.ToJson());
        writer.Write(entry.Vocabulary.DistinctWords);
        writer.Write(entry.Vocabulary.WordsByRank.Count);
        foreach (var word in entry.Vocabulary.WordsByRank) writer.Write(word);
        writer.Write(entry.Train.Signature.Steps);
        ExampleCache.WriteSplit(writer, entry.Train);
        ExampleCache.WriteSplit(writer, entry.Test);
    }

    /// <summary>
    /// The cached entry, or null when there is none. An entry that is damaged (its seal fails), unreadable, or holds
    /// a token id or label outside what the spec allows is deleted with a warning and rebuilt by the caller: a bad
    /// cache entry never reaches training, and never stays to break the next run.
    /// </summary>
    /// <param name="classes">How many classes the labels may take.</param>
    public static Entry? TryRead(string path, TextDataSpec spec, int classes) => CacheFile.TryRead(path, "token cache", reader =>
    {
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException("not a token cache entry");
        var report = PreprocessingReport.FromJson(reader.ReadString());
        var distinct = reader.ReadInt32();
        var words = new string[reader.ReadInt32()];
        for (var i = 0; i < words.Length; i++) words[i] = reader.ReadString();
        var steps = reader.ReadInt32();
        if (steps < 1 || steps > (spec.Maxlen ?? int.MaxValue)) throw new InvalidDataException($"{steps} steps for maxlen {spec.Maxlen}");
        var signature = TextPreprocessor.Signature(spec, steps, classes);
        var train = ExampleCache.ReadSplit(reader, signature);
        var test = ExampleCache.ReadSplit(reader, signature);
        return new Entry(train, test, new Vocabulary(words, distinct), report with { FromCache = true });
    });
}
