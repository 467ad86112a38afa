using System.Text.Json;
using System.Text.Json.Serialization;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Storage;
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
    /// <summary>Wall seconds per epoch: what the user waited, neighbours included.</summary>
    public double? SecondsPerEpoch { get; init; }
    /// <summary>CPU seconds per epoch (all threads): what an epoch costs, which a busy neighbour barely changes; what comparisons rank speed by.</summary>
    public double? CpuSecondsPerEpoch { get; init; }
    /// <summary>The share of the machine's CPU time other processes took during the epochs (0 quiet, 1 every core busy): how far to trust the wall time.</summary>
    public double? OthersCpuShare { get; init; }
    /// <summary>The process's peak resident memory (Linux VmHWM), in MiB, when the run ended.</summary>
    public double? PeakMemoryMb { get; init; }

    /// <summary>The process's minor page faults when the run ended (Linux): memory the kernel mapped in afresh.</summary>
    public long? MinorPageFaults { get; init; }
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

    /// <summary>
    /// The test value a run is judged by: its accuracy for classification, else its mean absolute error, else its
    /// loss — each run's own, so a regression grid shows test_mae, never an empty "test accuracy".
    /// </summary>
    public (string Metric, double Value)? HeadlineTest()
    {
        foreach (var key in new[] { MetricKey.Of(MetricKind.Accuracy, DataSplit.Test), MetricKey.Of(MetricKind.Mae, DataSplit.Test), MetricKey.Loss(DataSplit.Test) })
            if (TestMetrics?.GetValueOrDefault(key.Name, double.NaN) is double value && !double.IsNaN(value))
                return (key.Name, value);
        return null;
    }

    public int? DivergedAtEpoch { get; init; }
    public int? DivergedAtBatch { get; init; }
    public required IReadOnlyDictionary<string, string> Versions { get; init; }
    /// <summary>The engine's implementation of the recurrent layers in this run (<c>IEngine.RecurrentKernels</c>).</summary>
    public string? RecurrentKernels { get; init; }
    /// <summary>How <c>engine: auto</c> chose <see cref="Engine"/>: candidates, calibration timings, cached or not; null for a named engine.</summary>
    public Engines.EngineChoice? EngineChoice { get; init; }
    public string? GitCommit { get; init; }
    /// <summary>The processor it trained on (model and vector extensions, as /proc/cpuinfo names them); null for older runs.</summary>
    public string? Cpu { get; init; }
    /// <summary>
    /// <c>sha256:</c> of this summary serialised without the checksum: a summary edited or damaged since RnnRunner
    /// wrote it is detected on read. (Summaries written before checksums have none and are read as they are.)
    /// </summary>
    public string? Checksum { get; init; }

    /// <summary>The most a summary may be; they are a few kilobytes.</summary>
    public const int MaxBytes = 1 << 20;

    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // NaN never reaches the file: a diverged run records where it diverged instead.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter<RunStatus>(JsonNamingPolicy.SnakeCaseLower) },
    };

    public void Write(string path) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this with { Checksum = ChecksumOf(this) }, JsonOptions) + "\n");

    /// <summary>Reads and verifies a summary; <see cref="DamagedFileException"/> when it is empty, unreadable JSON or altered.</summary>
    public static RunSummary Read(string path)
    {
        RunSummary? summary;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > MaxBytes) throw new DamagedFileException(path, $"{stream.Length:N0} bytes, far more than a summary");
            summary = JsonSerializer.Deserialize<RunSummary>(stream, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new DamagedFileException(path, $"not a run summary ({e.Message.Split(". ")[0]})");
        }
        if (summary is null) throw new DamagedFileException(path, "empty");
        if (summary.Checksum is { } recorded && recorded != ChecksumOf(summary))
            throw new DamagedFileException(path, "its checksum does not match its contents");
        return summary;
    }

    /// <summary>Null when <paramref name="path"/> is missing or damaged, with the reason in <paramref name="problem"/>.</summary>
    public static RunSummary? TryRead(string path, out string? problem)
    {
        problem = null;
        if (!File.Exists(path)) return null;
        try
        {
            return Read(path);
        }
        catch (IOException e)
        {
            problem = e.Message;
            return null;
        }
    }

    private static string ChecksumOf(RunSummary summary) => "sha256:" + Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(summary with { Checksum = null }, JsonOptions)));
}
