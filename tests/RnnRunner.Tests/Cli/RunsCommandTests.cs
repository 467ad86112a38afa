using System.Text.Json;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Cli;

/// <summary><c>rnnrunner runs</c>: every run and grid trial under a results folder, filtered and sorted.</summary>
[Collection(TorchCollection.Name)]
public class RunsCommandTests
{
    [Fact]
    public void Runs_lists_every_run_and_grid_trial_as_a_table_or_json_filtered_and_sorted()
    {
        using var temp = new TempDirectory();
        var spec = CliHarness.Example("basics", "basic-rnn.yaml");
        foreach (var engine in new[] { "torch", "scratch" })
            Assert.Equal(0, CliHarness.Run("run", spec, "--set", $"engine={engine}", "--set", "training.epochs=1",
                "--results", temp.File("results"), "-q").Exit);
        // A grid trial is a run folder under <grid>/<folder>/trials/: it is listed like any run.
        var scratchRun = Directory.GetDirectories(temp.File("results/basic-rnn")).Order().Last();
        var trial = temp.File("results/g/001-20261202T000000Z/trials/u4");
        Directory.CreateDirectory(trial);
        File.Copy(Path.Combine(scratchRun, "summary.json"), Path.Combine(trial, "summary.json"));

        var (exit, stdout, stderr) = CliHarness.Run("runs", temp.File("results"), "--json");
        Assert.True(exit == 0, stderr);
        var runs = JsonDocument.Parse(stdout).RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(3, runs.Count);
        Assert.Contains(runs, r => r.GetProperty("folder").GetString()!.Replace('\\', '/') == "g/001-20261202T000000Z/trials/u4");
        Assert.All(runs, r => Assert.Equal(JsonValueKind.Number, r.GetProperty("test").ValueKind));

        (exit, stdout, _) = CliHarness.Run("runs", temp.File("results"), "--filter", "engine=torch", "--json");
        var torch = Assert.Single(JsonDocument.Parse(stdout).RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal("torch", torch.GetProperty("engine").GetString());

        (exit, stdout, _) = CliHarness.Run("runs", temp.File("results"), "--sort", "test_accuracy", "--json");
        var accuracies = JsonDocument.Parse(stdout).RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("test").GetDouble()).ToList();
        Assert.Equal(accuracies.OrderDescending(), accuracies);

        (exit, stdout, _) = CliHarness.Run("runs", temp.File("results"));
        Assert.Equal(0, exit);
        Assert.Contains("3 run(s)", stdout);
        Assert.Contains("test_accuracy 0.", stdout);

        (exit, _, stderr) = CliHarness.Run("runs", temp.File("results"), "--filter", "colour=blue");
        Assert.Equal(RnnRunner.Cli.ExitCodes.InvalidInput, exit);
        Assert.Contains("unknown key 'colour'", stderr);
    }
}
