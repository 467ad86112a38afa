using System.Diagnostics;
using RnnRunner.Core.Data.Text;
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

    /// <summary>IMDB's classes in label order: 0 negative, 1 positive (the folder names, sorted, as Keras labels them).</summary>
    public static readonly IReadOnlyList<string> Classes = ["neg", "pos"];

    public DataSignature Describe() => TextPreprocessor.Signature(spec, spec.Maxlen ?? WholeReviewSteps, Classes.Count);

    public SourceData Load(int seed, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var source = ImdbLocator.Locate(spec, environment);
        var sha = SourceFingerprint.Of(source, environment.CacheRoot, cancellation);
        var key = TokenCache.Key(spec, sha, seed);
        var cachePath = TokenCache.PathFor(environment.CacheRoot, "imdb", key);

        if (environment.Trained?.Vocabulary is null && TokenCache.TryRead(cachePath, spec, Classes.Count) is { } cached)
            return new SourceData(cached.Train, cached.Test)
            {
                Vocabulary = cached.Vocabulary,
                Report = cached.Report with { Source = source, Seconds = clock.Elapsed.TotalSeconds },
            };

        IReadOnlyList<LabelledText> reviews = ImdbArchive.Read(source, cancellation, environment.Progress)
            .Select(r => new LabelledText(r.Split, r.Label, r.Id, r.Text)).ToList();
        if (spec.Limit is { } limit) reviews = TextPreprocessor.Subsample(reviews, limit, Classes.Count, seed);
        var result = TextPreprocessor.Run(spec, reviews, Classes, cancellation, environment.Progress, environment.Trained?.Vocabulary);
        var report = new PreprocessingReport
        {
            Source = source, SourceSha256 = sha, CacheKey = key, FromCache = false, Seconds = clock.Elapsed.TotalSeconds,
            VocabularySize = result.DistinctWords, KeptWords = result.Vocabulary.WordsByRank.Count, Splits = result.Splits,
        };
        // Encoded with a trained run's vocabulary, these ids are that run's alone: not cached under the data's key.
        if (environment.Trained?.Vocabulary is null) TokenCache.TryWrite(cachePath, new TokenCache.Entry(result.Train, result.Test, result.Vocabulary, report));
        return new SourceData(result.Train, result.Test) { Vocabulary = result.Vocabulary, Report = report };
    }
}
