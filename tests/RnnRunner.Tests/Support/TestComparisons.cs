using RnnRunner.Core.Comparisons;
using RnnRunner.Core.Results;

namespace RnnRunner.Tests.Support;

/// <summary>Compared runs made up in memory: a summary with the given results, settings by spec path.</summary>
public static class TestComparisons
{
    public static ComparedRun Run(string group, double best, double test, string monitor = "val_accuracy", int seed = 1,
        IReadOnlyDictionary<string, string>? settings = null, string? name = null) =>
        new(name ?? $"{group}_s{seed}_{best}", group, $"/results/runs/{name ?? group}-{seed}-{best}", new RunSummary
        {
            Name = group, RunId = "001-20260101T000000Z", Status = RunStatus.Completed, Engine = "scratch", Device = "cpu", Seed = seed,
            StartedUtc = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), Parameters = 10, ParametersKerasConvention = 10,
            EpochsRun = 3, Monitor = monitor, BestEpoch = 2, BestValue = best, SecondsPerEpoch = 1.5,
            TestMetrics = new Dictionary<string, double> { [monitor.Replace("val_", "test_")] = test, ["test_loss"] = 0.5 },
            Versions = new Dictionary<string, string>(),
        }, new RunSettings(settings ?? new Dictionary<string, string>()));

    /// <summary>A resolved spec's settings: a two-layer model (LSTM, dense) trained with Adam, plus <paramref name="changes"/>.</summary>
    public static Dictionary<string, string> Spec(int seed = 1, params (string Path, string Value)[] changes)
    {
        var settings = new Dictionary<string, string>
        {
            ["name"] = "m", ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture), ["engine"] = "scratch",
            ["model[0].type"] = "lstm", ["model[0].units"] = "32", ["model[0].dropout"] = "0",
            ["model[1].type"] = "dense", ["model[1].units"] = "1",
            ["training.epochs"] = "10", ["training.batch_size"] = "32",
            ["training.optimizer.type"] = "adam", ["training.optimizer.learning_rate"] = "0.001",
        };
        foreach (var (path, value) in changes) settings[path] = value;
        return settings;
    }
}
