using System.Text.Json;
using System.Text.Json.Serialization;
using RnnRunner.Core.Training;

namespace RnnRunner.Core.Results;

/// <summary>summary.json: what happened in a run, readable by people and by the compare/grid tools.</summary>
public sealed record RunSummary
{
    public required string Name { get; init; }
    public required string RunId { get; init; }
    public required RunStatus Status { get; init; }
    public string? Message { get; init; }
    public required string Engine { get; init; }
    public required string Device { get; init; }
    public required int Seed { get; init; }
    public required DateTime StartedUtc { get; init; }
    public DateTime? FinishedUtc { get; init; }
    /// <summary>How many times the run was resumed after an interruption.</summary>
    public int Resumes { get; init; }
    public double? TotalSeconds { get; init; }
    public double? SecondsPerEpoch { get; init; }
    /// <summary>The process's peak resident memory (Linux VmHWM), in MiB, when the run ended.</summary>
    public double? PeakMemoryMb { get; init; }
    public required long Parameters { get; init; }
    public required long ParametersKerasConvention { get; init; }
    public int EpochsRun { get; init; }
    public string? Monitor { get; init; }
    public int? BestEpoch { get; init; }
    public double? BestValue { get; init; }
    public bool StoppedEarly { get; init; }
    public bool RestoredBestWeights { get; init; }
    /// <summary>The last epoch's logged values.</summary>
    public IReadOnlyDictionary<string, double>? FinalMetrics { get; init; }
    /// <summary>The best epoch's logged values (the weights saved when restore_best_weights is on).</summary>
    public IReadOnlyDictionary<string, double>? BestMetrics { get; init; }
    public IReadOnlyDictionary<string, double>? TestMetrics { get; init; }
    public int? DivergedAtEpoch { get; init; }
    public int? DivergedAtBatch { get; init; }
    public required IReadOnlyDictionary<string, string> Versions { get; init; }
    /// <summary>The engine's implementation of the recurrent layers in this run (<c>IEngine.RecurrentKernels</c>).</summary>
    public string? RecurrentKernels { get; init; }
    public string? GitCommit { get; init; }

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // NaN never reaches the file: a diverged run records where it diverged instead.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter<RunStatus>(JsonNamingPolicy.SnakeCaseLower) },
    };

    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions) + "\n");

    public static RunSummary Read(string path) =>
        JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(path), JsonOptions)
        ?? throw new InvalidDataException($"{path} is empty");
}
