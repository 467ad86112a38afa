using System.Text.Json;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Data;

/// <summary>The committed examples of experiments/data/ train well above chance on both engines.</summary>
[Trait(TestLevel.Key, TestLevel.Data)]
[Collection(TorchCollection.Name)]
public class ExampleDatasetsTests
{
    [Theory]
    [InlineData("topics.yaml", "topics.tar.gz", "torch", 1.0 / 3)]
    [InlineData("topics.yaml", "topics.tar.gz", "scratch", 1.0 / 3)]
    [InlineData("tickets.yaml", "tickets.csv", "torch", 1.0 / 3)]
    [InlineData("tickets.yaml", "tickets.csv", "scratch", 1.0 / 3)]
    [InlineData("signals.yaml", "signals.jsonl", "torch", 0.5)]
    [InlineData("signals.yaml", "signals.jsonl", "scratch", 0.5)]
    [InlineData("signals-npz.yaml", "signals.npz", "torch", 0.5)]
    [InlineData("signals-npz.yaml", "signals.npz", "scratch", 0.5)]
    public void An_example_trains_well_above_chance(string spec, string data, string engine, double chance)
    {
        using var temp = new TempDirectory();

        var (exit, stdout, stderr) = CliHarness.Run("run", CliHarness.Example("data", spec), "--set", $"engine={engine}",
            "--set", $"data.path={CliHarness.Example("data", data)}", "--results", temp.File("results"), "--json", "-q");

        Assert.True(exit == 0, stderr);
        var summary = JsonDocument.Parse(stdout).RootElement.GetProperty("summary");
        var accuracy = summary.GetProperty("test_metrics").GetProperty("test_accuracy").GetDouble();
        Assert.True(accuracy > chance + 0.3, $"{engine}: test accuracy {accuracy:F3}, chance {chance:F3}");
    }

    [Theory]
    [InlineData("torch")]
    [InlineData("scratch")]
    public void The_weather_series_is_forecast_far_better_than_by_its_mean(string engine)
    {
        using var temp = new TempDirectory();

        var (exit, stdout, stderr) = CliHarness.Run("run", CliHarness.Example("data", "weather.yaml"), "--set", $"engine={engine}",
            "--set", $"data.path={CliHarness.Example("data", "weather.csv")}", "--results", temp.File("results"), "--json", "-q");

        Assert.True(exit == 0, stderr);
        var results = JsonDocument.Parse(stdout).RootElement;
        var mae = results.GetProperty("summary").GetProperty("test_metrics").GetProperty("test_mae").GetDouble();
        // Predicting the training mean for every hour is off by about 4 °C here (the daily cycle); the noise alone is 0.64.
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(results.GetProperty("results").GetString()!, "preprocessing.json"))).RootElement;
        var testMean = report.GetProperty("parts").GetProperty("test").GetProperty("target_mean").GetDouble();
        Assert.True(mae < 1.5, $"{engine}: test mae {mae:F3} (test target mean {testMean:F2})");
    }
}
