using System.Text.Json;
using RnnRunner.Cli;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Cli;

/// <summary><c>rnnrunner evaluate</c>: a trained run on its own data or on other data, encoded as it was trained.</summary>
[Collection(TorchCollection.Name)]
public class EvaluateCommandTests
{
    /// <summary>Trains the tickets example (scratch engine, a few seconds) and returns its run folder.</summary>
    private static string TrainTickets(TempDirectory temp)
    {
        var (exit, stdout, stderr) = CliHarness.Run("run", CliHarness.Example("data", "tickets.yaml"),
            "--set", $"data.path={CliHarness.Example("data", "tickets.csv")}", "--results", temp.File("results"), "--json", "-q");
        Assert.True(exit == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.GetProperty("results").GetString()!;
    }

    [Fact]
    public void On_its_own_test_split_a_run_s_metrics_are_reproduced_exactly_with_a_confusion_matrix_beside_them()
    {
        using var temp = new TempDirectory();
        var run = TrainTickets(temp);
        var trained = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))).RootElement.GetProperty("test_metrics");

        var (exit, stdout, stderr) = CliHarness.Run("evaluate", run, "--json");

        Assert.True(exit == 0, stderr);
        var evaluation = JsonDocument.Parse(stdout).RootElement.GetProperty("evaluation");
        Assert.Equal(trained.GetProperty("test_loss").GetDouble(), evaluation.GetProperty("metrics").GetProperty("test_loss").GetDouble(), 6);
        Assert.Equal(trained.GetProperty("test_accuracy").GetDouble(), evaluation.GetProperty("metrics").GetProperty("test_accuracy").GetDouble(), 6);
        var confusion = evaluation.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Sum(c => c.GetInt32())).ToList();
        Assert.Equal(evaluation.GetProperty("examples").GetInt32(), confusion.Sum());
        Assert.Equal(["account", "billing", "technical"], evaluation.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
        Assert.True(File.Exists(Path.Combine(run, "evaluations", "001-confusion.png")));
        // The same predictions the run kept for its test split, target by target.
        var evaluated = Core.Results.PredictionsCsv.Read(Path.Combine(run, "evaluations", "001.predictions.csv"));
        Assert.Equal(Core.Results.PredictionsCsv.Read(Path.Combine(run, "predictions.csv")).Select(p => (p.Id, p.Target, p.Output)),
            evaluated.Select(p => (p.Id, p.Target, p.Output)));
    }

    [Fact]
    public void Other_data_are_encoded_with_the_run_s_vocabulary_and_a_mismatched_dataset_is_refused()
    {
        using var temp = new TempDirectory();
        var run = TrainTickets(temp);
        // New tickets whose word frequencies differ from training: a vocabulary rebuilt from them would renumber every word.
        var rows = File.ReadAllLines(CliHarness.Example("data", "tickets.csv")).Skip(1).Reverse().Take(60)
            .Select(line => line.Replace("please", "please please please", StringComparison.Ordinal));
        File.WriteAllLines(temp.File("new.csv"), new[] { "id,text,queue" }.Concat(rows));
        File.WriteAllText(temp.File("new.yaml"), $"data:\n  dataset: table\n  path: {temp.File("new.csv")}\n  text_column: text\n  label_column: queue\n"
            + "  test_split: 0.5\n  num_words: 100\n  maxlen: 40\n");
        File.WriteAllText(temp.File("series.yaml"), $"dataset: timeseries\npath: {CliHarness.Example("data", "weather.csv")}\ntarget_column: temperature\n");

        var (exit, stdout, stderr) = CliHarness.Run("evaluate", run, "--data", temp.File("new.yaml"), "--json");
        var (wrongExit, _, wrongErr) = CliHarness.Run("evaluate", run, "--data", temp.File("series.yaml"));

        Assert.True(exit == 0, stderr);
        var accuracy = JsonDocument.Parse(stdout).RootElement.GetProperty("evaluation").GetProperty("metrics").GetProperty("test_accuracy").GetDouble();
        Assert.True(accuracy > 0.8, $"accuracy {accuracy:F3} on new tickets");
        Assert.Equal(ExitCodes.InvalidInput, wrongExit);
        Assert.Contains("error: the data to evaluate on give features of width 4; the model takes tokens of width 100", wrongErr);
    }

    [Fact]
    public void A_numpy_feature_model_evaluates_on_arrays_of_other_names_as_on_its_own_test_arrays()
    {
        using var temp = new TempDirectory();
        var fixtures = Path.Combine(Support.Specs.RepositoryRoot, "tests", "RnnRunner.Tests", "Data", "Numpy", "Fixtures", "series");
        File.WriteAllText(temp.File("series.yaml"), $$"""
            name: series
            engine: scratch
            data: {dataset: numpy, path: {{fixtures}}}
            model: [{type: lstm, units: 4}, {type: dense, units: 1}]
            training: {epochs: 3, batch_size: 2, loss: mse, metrics: [mae]}
            """);
        var (runExit, runOut, runErr) = CliHarness.Run("run", temp.File("series.yaml"), "--results", temp.File("results"), "--json", "-q");
        Assert.True(runExit == 0, runErr);
        var run = JsonDocument.Parse(runOut).RootElement.GetProperty("results").GetString()!;
        // The held-out arrays under other names, in a folder of their own.
        Directory.CreateDirectory(temp.File("held"));
        foreach (var (from, to) in new[] { ("x_train", "x_train"), ("y_train", "y_train"), ("x_test", "held_x"), ("y_test", "held_y") })
            File.Copy(Path.Combine(fixtures, from + ".npy"), Path.Combine(temp.File("held"), to + ".npy"));
        File.WriteAllText(temp.File("held.yaml"), $"dataset: numpy\npath: {temp.File("held")}\nx_test: held_x\ny_test: held_y\n");

        var (exit, stdout, stderr) = CliHarness.Run("evaluate", run, "--data", temp.File("held.yaml"), "--json");

        Assert.True(exit == 0, stderr);
        var metrics = JsonDocument.Parse(stdout).RootElement.GetProperty("evaluation").GetProperty("metrics");
        var trained = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))).RootElement.GetProperty("test_metrics");
        Assert.Equal(trained.GetProperty("test_loss").GetDouble(), metrics.GetProperty("test_loss").GetDouble(), 6);
        Assert.Equal(trained.GetProperty("test_mae").GetDouble(), metrics.GetProperty("test_mae").GetDouble(), 6);
    }
}
