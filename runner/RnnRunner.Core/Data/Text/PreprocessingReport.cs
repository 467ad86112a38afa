using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnRunner.Core.Data.Text;

/// <summary>What preprocessing did to a split, for preprocessing.json in the run folder.</summary>
public sealed record SplitReport
{
    /// <summary>Texts in the split (IMDB: reviews).</summary>
    public required int Texts { get; init; }
    /// <summary>Texts per class, by class name: the class balance.</summary>
    public required IReadOnlyDictionary<string, int> Classes { get; init; }
    public required long Words { get; init; }
    /// <summary>Share of words mapped to oov_char (or dropped): outside the kept vocabulary or in skip_top.</summary>
    public required double OovRate { get; init; }
    /// <summary>Share of texts longer than maxlen (cut) and shorter than maxlen (padded).</summary>
    public required double Truncated { get; init; }
    public required double Padded { get; init; }
    /// <summary>Text lengths in tokens (start marker included) before padding: p50, p90, p95, p99, max.</summary>
    public required IReadOnlyDictionary<string, int> LengthPercentiles { get; init; }
}

public sealed record PreprocessingReport : IDataReport
{
    public required string Source { get; init; }
    public required string SourceSha256 { get; init; }
    public required string CacheKey { get; init; }
    public required bool FromCache { get; init; }
    public required double Seconds { get; init; }
    /// <summary>Distinct words in the training split, and how many of them got ids.</summary>
    public required int VocabularySize { get; init; }
    public required int KeptWords { get; init; }
    public required IReadOnlyDictionary<string, SplitReport> Splits { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public IDataReport WithCache(CacheUse cache) => this with { CacheKey = cache.Key, SourceSha256 = cache.SourceSha256, FromCache = cache.FromCache };

    public static PreprocessingReport FromJson(string json) =>
        JsonSerializer.Deserialize<PreprocessingReport>(json, JsonOptions) ?? throw new InvalidDataException("empty report");
}
