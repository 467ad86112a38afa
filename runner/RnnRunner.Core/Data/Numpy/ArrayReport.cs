using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnRunner.Core.Data.Numpy;

/// <summary>The range of some values: their count, least, greatest and mean.</summary>
public sealed record ValueRange(long Count, double Min, double Max, double Mean)
{
    public static ValueRange Of(IEnumerable<double> values)
    {
        long count = 0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0;
        foreach (var v in values) { count++; min = Math.Min(min, v); max = Math.Max(max, v); sum += v; }
        return count == 0 ? new ValueRange(0, 0, 0, 0) : new ValueRange(count, min, max, sum / count);
    }
}

/// <summary>One split of arrays: its examples, the range of its inputs, and its targets' classes or range.</summary>
public sealed record ArraySplit(int Examples, ValueRange Inputs, IReadOnlyDictionary<string, int>? Classes, ValueRange? Targets);

/// <summary>preprocessing.json for NumPy feature or regression data: where they came from and each split's value ranges.</summary>
public sealed record ArrayReport(string Source, IReadOnlyList<string> Arrays, IReadOnlyDictionary<string, ArraySplit> Splits) : IDataReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The example cache entry the arrays' examples came from or went into.</summary>
    public CacheUse? Cache { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public IDataReport WithCache(CacheUse cache) => this with { Cache = cache };

    public static ArrayReport FromJson(string json) =>
        JsonSerializer.Deserialize<ArrayReport>(json, Json) ?? throw new InvalidDataException("empty report");
}
