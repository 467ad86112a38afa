using System.Diagnostics;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Imdb;

/// <summary>IMDB as an <see cref="IDataSource"/>: locate → fingerprint → token cache hit, or read + tokenise + cache.</summary>
public sealed class ImdbSource(ImdbDataSpec spec, DataEnvironment environment) : IDataSource
{
    /// <summary>
    /// Before loading, whole reviews (maxlen null) are sized for the longest IMDB review: 2,494 words after Keras'
    /// tokenisation plus the start marker, rounded up. Once loaded, the data's own longest review sets the length.
    /// </summary>
    public const int WholeReviewSteps = 2_600;

    public DataSignature Describe() => Signature(spec, spec.Maxlen ?? WholeReviewSteps);

    internal static DataSignature Signature(ImdbDataSpec spec, int steps) =>
        new(InputKind.Tokens, spec.NumWords, steps, TargetKind.BinaryPerSequence, 2)
        {
            VariableLength = spec.Maxlen is null,
            // Words get ids from index_from + 1 ≥ 1 and validation refuses start_char or oov_char 0.
            ZeroIsPadding = true,
        };

    public SourceData Load(int seed, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var source = ImdbLocator.Locate(spec, environment);
        var sha = ImdbLocator.Fingerprint(source, environment.CacheRoot, cancellation);
        var key = TokenCache.Key(spec, sha, seed);
        var cachePath = TokenCache.PathFor(environment.CacheRoot, key);

        if (TokenCache.TryRead(cachePath, spec) is { } cached)
            return new SourceData(cached.Train, cached.Test)
            {
                Vocabulary = cached.Vocabulary,
                Report = cached.Report with { Source = source, Seconds = clock.Elapsed.TotalSeconds },
            };

        var reviews = ImdbArchive.Read(source, cancellation, environment.Progress);
        if (spec.Limit is { } limit) reviews = ImdbPreprocessor.Subsample(reviews, limit, seed);
        var result = ImdbPreprocessor.Run(spec, reviews, cancellation, environment.Progress);
        var report = new PreprocessingReport
        {
            Source = source, SourceSha256 = sha, CacheKey = key, FromCache = false, Seconds = clock.Elapsed.TotalSeconds,
            VocabularySize = result.DistinctWords, KeptWords = result.Vocabulary.WordsByRank.Count, Splits = result.Splits,
        };
        try
        {
            TokenCache.Write(cachePath, new TokenCache.Entry(result.Train, result.Test, result.Vocabulary, report));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only or full cache only costs speed next time; the run itself is fine.
            Serilog.Log.Warning("Could not write the token cache {Path}: {Message}", cachePath, e.Message);
        }
        return new SourceData(result.Train, result.Test) { Vocabulary = result.Vocabulary, Report = report };
    }
}
