using System.Text.Json;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Data;

/// <summary>The committed examples of experiments/data/ train well above chance on both engines.</summary>
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
}
