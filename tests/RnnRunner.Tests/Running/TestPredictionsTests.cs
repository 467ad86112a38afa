using System.Globalization;
using RnnRunner.Core.Results;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Running;

/// <summary>A run keeps its test predictions (predictions.csv), and two runs on the same test set are compared example by example.</summary>
[Collection(TorchCollection.Name)]
public class TestPredictionsTests
{
    private static string Train(TempDirectory temp, string name, int units)
    {
        var spec = temp.File($"{name}.yaml");
        File.WriteAllText(spec, Support.Specs.BasicRnn.Replace("name: tiny", $"name: {name}"));
        var (exit, stdout, stderr) = CliHarness.Run("run", spec, "--results", temp.File("results"), "--set", $"model[1].units={units}", "--set", "engine=scratch", "-q");
        Assert.True(exit == 0, stderr);
        return stdout.Trim()["Results: ".Length..];
    }

    [Fact]
    public void A_run_writes_one_prediction_per_test_example_that_agrees_with_its_test_accuracy_and_diff_compares_two_runs_on_them()
    {
        using var temp = new TempDirectory();
        var small = Train(temp, "small", 2);
        var large = Train(temp, "large", 16);

        var rows = PredictionsCsv.Read(RunFolder.At(small).Predictions);
        var summary = RunSummary.Read(RunFolder.At(small).Summary);
        Assert.Equal(200, rows.Count); // BasicRnn's test_samples
        Assert.Equal(Enumerable.Range(0, 200).Select(i => i.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r.Id));
        Assert.Equal(summary.TestMetrics!["test_accuracy"], rows.Count(r => r.Correct == true) / 200.0, 9);
        Assert.All(rows, r => Assert.InRange(r.Probability!.Value, 0.5, 1.0));

        var (exit, stdout, _) = CliHarness.Run("runs", "diff", small, large);
        Assert.Equal(0, exit);
        Assert.Contains("example by example, on the same 200 test targets: ", stdout);
        Assert.Contains("McNemar's exact test", stdout);
    }
}
