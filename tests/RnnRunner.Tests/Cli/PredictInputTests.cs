using System.Text.Json;
using RnnRunner.Cli;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Cli;

/// <summary><c>rnnrunner predict --input</c>: a CSV of predictions for every kind of model, inputs encoded as in training.</summary>
[Collection(TorchCollection.Name)]
public class PredictInputTests
{
    /// <summary>Trains an example of experiments/data (scratch engine, seconds) and returns its run folder.</summary>
    private static string Train(TempDirectory temp, string spec, string data)
    {
        var (exit, stdout, stderr) = CliHarness.Run("run", CliHarness.Example("data", spec), "--set", $"data.path={CliHarness.Example("data", data)}",
            "--results", temp.File("results"), "--json", "-q");
        Assert.True(exit == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.GetProperty("results").GetString()!;
    }

    /// <summary>The CSV's lines (RFC 4180 ends them with CRLF).</summary>
    private static string[] Lines(string csv) => csv.Trim().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    [Fact]
    public void A_text_model_writes_each_input_s_class_and_per_class_probabilities_and_scores_texts_given_inline()
    {
        using var temp = new TempDirectory();
        var run = Train(temp, "tickets.yaml", "tickets.csv");
        File.WriteAllText(temp.File("new.csv"), "text\n\"My invoice shows a charge twice, refund please\"\nThe app crashes with an error at login\n");

        var (exit, stdout, stderr) = CliHarness.Run("predict", run, "--input", temp.File("new.csv"), "--output", temp.File("p.csv"),
            "--text", "password reset email never arrives");

        Assert.True(exit == 0, stderr);
        Assert.Matches(@"^account\tP\(account\) = 0\.\d{4}\tpassword reset email never arrives", stdout);
        var rows = File.ReadAllLines(temp.File("p.csv"));
        Assert.Equal("input,label,p_account,p_billing,p_technical", rows[0]);
        Assert.Equal(["billing", "technical"], rows.Skip(1).Select(r => r.Split(',')[1]));
        Assert.All(rows.Skip(1), r => Assert.Equal(1.0, r.Split(',')[2..].Sum(p => double.Parse(p, System.Globalization.CultureInfo.InvariantCulture)), 3));
        Assert.StartsWith($"{temp.File("new.csv")}:2,", rows[1]);
    }

    [Fact]
    public void An_id_model_reads_its_sequence_column_and_a_series_model_predicts_every_window()
    {
        using var temp = new TempDirectory();
        var ids = Train(temp, "signals.yaml", "signals.jsonl");
        var series = Train(temp, "weather.yaml", "weather.csv");
        File.WriteAllText(temp.File("ids.jsonl"), "{\"ids\": [1, 2, 3, 4, 5, 6]}\n{\"ids\": [10, 11, 12, 13, 14]}\n");
        File.WriteAllLines(temp.File("hours.csv"), File.ReadAllLines(CliHarness.Example("data", "weather.csv")).Take(31)); // 30 hours

        var (idsExit, idsOut, idsErr) = CliHarness.Run("predict", ids, "--input", temp.File("ids.jsonl"));
        var (seriesExit, seriesOut, seriesErr) = CliHarness.Run("predict", series, "--input", temp.File("hours.csv"));

        Assert.True(idsExit == 0, idsErr);
        Assert.Equal(["up", "down"], Lines(idsOut).Skip(1).Select(r => r.Split(',')[1]));
        Assert.True(seriesExit == 0, seriesErr);
        var windows = Lines(seriesOut);
        Assert.Equal("input,value", windows[0]);
        Assert.Equal(30 - 24 + 1, windows.Length - 1); // one per window of 24 hours
        Assert.StartsWith($"{temp.File("hours.csv")}:25,", windows[1]); // the first window ends on the 24th row, line 25
    }

    [Fact]
    public void A_model_trained_on_arrays_predicts_an_npz_s_x_test_or_an_npy_and_refuses_another_shape()
    {
        using var temp = new TempDirectory();
        var ids = Train(temp, "signals-npz.yaml", "signals.npz");
        var fixtures = Path.Combine(Support.Specs.RepositoryRoot, "tests", "RnnRunner.Tests", "Data", "Numpy", "Fixtures");
        File.WriteAllText(temp.File("series.yaml"), $$"""
            name: arrays
            engine: scratch
            data: {dataset: numpy, path: {{Path.Combine(fixtures, "series")}}}
            model: [{type: gru, units: 4}, {type: dense, units: 1}]
            training: {epochs: 1, batch_size: 2, loss: mse, metrics: [mae]}
            """);
        var (exit, stdout, stderr) = CliHarness.Run("run", temp.File("series.yaml"), "--results", temp.File("results"), "--json", "-q");
        Assert.True(exit == 0, stderr);
        var features = JsonDocument.Parse(stdout).RootElement.GetProperty("results").GetString()!;

        var (idsExit, idsOut, idsErr) = CliHarness.Run("predict", ids, "--input", CliHarness.Example("data", "signals.npz"));
        var (featuresExit, featuresOut, featuresErr) = CliHarness.Run("predict", features, "--input", Path.Combine(fixtures, "series", "x_test.npy"));
        var (wrongExit, _, wrongErr) = CliHarness.Run("predict", features, "--input", Path.Combine(fixtures, "int32_c.npy"));

        Assert.True(idsExit == 0, idsErr);
        Assert.Equal(1 + 200, Lines(idsOut).Length); // signals.npz's x_test
        Assert.True(featuresExit == 0, featuresErr);
        Assert.Equal(["input,value", $"{Path.Combine(fixtures, "series", "x_test.npy")}:x_test[0]"], [Lines(featuresOut)[0], Lines(featuresOut)[1].Split(',')[0]]);
        Assert.Equal(ExitCodes.InvalidInput, wrongExit);
        Assert.Contains("int32_c (integer, shape (3, 4)); the model takes float sequences (N, 3, 2)", wrongErr);
    }

    [Fact]
    public void A_run_whose_data_are_gone_still_predicts_from_what_its_folder_recorded()
    {
        using var temp = new TempDirectory();
        File.Copy(CliHarness.Example("data", "topics.tar.gz"), temp.File("topics.tar.gz"));
        var (exit, stdout, stderr) = CliHarness.Run("run", CliHarness.Example("data", "topics.yaml"), "--set", $"data.path={temp.File("topics.tar.gz")}",
            "--set", "training.epochs=2", "--results", temp.File("results"), "--json", "-q");
        Assert.True(exit == 0, stderr);
        var run = JsonDocument.Parse(stdout).RootElement.GetProperty("results").GetString()!;
        File.Delete(temp.File("topics.tar.gz")); // the run folder is all that is left, as on another machine

        var (predictExit, predictOut, predictErr) = CliHarness.Run("predict", run, "--text", "the orchestra and the ballet at the festival");

        Assert.True(predictExit == 0, predictErr);
        Assert.Matches(@"^(arts|science|sport)\tP\(\1\) = 0\.\d{4}\t", predictOut);
    }

    [Fact]
    public void An_input_without_the_model_s_column_and_texts_for_a_series_model_are_refused_in_one_line()
    {
        using var temp = new TempDirectory();
        var run = Train(temp, "weather.yaml", "weather.csv");
        File.WriteAllText(temp.File("hours.csv"), "temperature,humidity\n1,2\n");

        var (exit, _, stderr) = CliHarness.Run("predict", run, "--input", temp.File("hours.csv"));
        var (textExit, _, textErr) = CliHarness.Run("predict", run, "--text", "sunny");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal($"error: {temp.File("hours.csv")}:1: has no column 'pressure' (its columns: temperature, humidity)", stderr.Trim());
        Assert.Equal(ExitCodes.InvalidInput, textExit);
        Assert.Contains("--text and --file take texts; this model takes series", textErr);
    }
}
