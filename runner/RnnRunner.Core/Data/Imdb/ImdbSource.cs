using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Imdb;

/// <summary>IMDB as an <see cref="IDataSource"/>: locate → fingerprint → token cache hit, or read + tokenise + cache.</summary>
[Implements(typeof(ImdbDataSpec))]
public sealed class ImdbSource(ImdbDataSpec spec, DataEnvironment environment) : IDataSource
{
    public ImdbSource(ImdbDataSpec spec, DataSourceContext context) : this(spec, context.Environment) { }


    /// <summary>
    /// Before loading, whole reviews (maxlen null) are sized for the longest IMDB review: 2,494 words after Keras'
    /// tokenisation plus the start marker, rounded up. Once loaded, the data's own longest review sets the length.
    /// </summary>
    public const int WholeReviewSteps = 2_600;

    /// <summary>IMDB's classes in label order: 0 negative, 1 positive (the folder names, sorted, as Keras labels them).</summary>
    public static readonly IReadOnlyList<string> Classes = ["neg", "pos"];

    public DataSignature Describe() => TextPreprocessor.Signature(spec, spec.Maxlen ?? WholeReviewSteps, Classes.Count);

    public IEnumerable<DataProblem> Problems() => TextDataChecks.Of(spec, spec.Path);

    public string ContentFingerprint(CancellationToken cancellation) =>
        SourceFingerprint.Of(ImdbLocator.Locate(spec, environment), environment.CacheRoot, cancellation);

    public SourceData Load(int seed, CancellationToken cancellation)
    {
        var source = ImdbLocator.Locate(spec, environment);
        var sha = SourceFingerprint.Of(source, environment.CacheRoot, cancellation);
        var place = new TokenCache.Place("imdb", TokenCache.Key(spec, sha, seed), source, sha, Classes.Count);
        return TokenCache.LoadOrBuild(spec, environment, place, () =>
        {
            IReadOnlyList<LabelledText> reviews = ImdbArchive.Read(source, cancellation, environment.Progress)
                .Select(r => new LabelledText(r.Split, r.Label, r.Id, r.Text)).ToList();
            if (spec.Limit is { } limit) reviews = TextPreprocessor.Subsample(reviews, limit, Classes.Count, seed);
            return TextPreprocessor.Run(spec, reviews, Classes, cancellation, environment.Progress, environment.Trained?.Vocabulary);
        });
    }
}
