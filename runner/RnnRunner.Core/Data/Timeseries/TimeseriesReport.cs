using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnRunner.Core.Data.Timeseries;

/// <summary>One part of a series: its rows (0-based, the header not counted), its windows and its target's range.</summary>
public sealed record SeriesPart(int FirstRow, int LastRow, int Windows, double TargetMin, double TargetMax, double TargetMean);

/// <summary>A column's statistics over the training part: what normalisation subtracts and divides by, and its range.</summary>
public sealed record ColumnStatistics(double Mean, double Std, double Min, double Max);

/// <summary>
/// preprocessing.json for a time series: where each part lies in time, how many windows each gave, the target's
/// range per part, and the training part's statistics per input column — the normalisation a prediction must repeat.
/// </summary>
public sealed record TimeseriesReport : IDataReport
{
    public required string Source { get; init; }
    public required int Rows { get; init; }
    public required IReadOnlyList<string> Columns { get; init; }
    public required string Target { get; init; }
    public required bool Normalized { get; init; }
    public required IReadOnlyDictionary<string, ColumnStatistics> Statistics { get; init; }
    public required IReadOnlyDictionary<string, SeriesPart> Parts { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The example cache entry the windows came from or went into (none when a trained run's statistics were applied).</summary>
    public CacheUse? Cache { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public IDataReport WithCache(CacheUse cache) => this with { Cache = cache };

    public static TimeseriesReport FromJson(string json) =>
        JsonSerializer.Deserialize<TimeseriesReport>(json, JsonOptions) ?? throw new InvalidDataException("empty report");
}
