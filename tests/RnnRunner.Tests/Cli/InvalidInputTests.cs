using System.Text.Json;
using RnnRunner.Cli;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Cli;

/// <summary>
/// The exit-2 promise: invalid input of any kind — a grid given to run, a missing data path, a mistyped grid axis,
/// a tab in the indentation — is one clear line per mistake at its file:line:column, exit code 2, and nothing run
/// or written.
/// </summary>
[Collection(TorchCollection.Name)]
public class InvalidInputTests
{
    private static string Basics(string name) => CliHarness.Example("basics", name);

    [Fact]
    public void Validate_recognises_grid_files_and_checks_every_trial_they_expand_to()
    {
        var (exit, stdout, stderr) = CliHarness.Run("validate", Basics("basic-rnn.yaml"), Basics("compare-cells.yaml"));

        Assert.True(exit == ExitCodes.Success, stderr);
        Assert.Contains("compare-cells.yaml: ok (grid of 9 trials, each valid)", stdout);
    }

    [Fact]
    public void Validate_refuses_a_grid_when_one_trial_is_invalid()
    {
        using var temp = new TempDirectory();
        var grid = WriteGrid(temp, "  model[1].units: [8, 0]\n");

        var (exit, _, stderr) = CliHarness.Run("validate", grid);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains($"{grid}:5:23: model[1].units: 0 is out of range", stderr);
    }

    [Fact]
    public void Run_given_a_grid_and_grid_given_a_spec_each_say_so_in_one_line()
    {
        var (runExit, _, runErr) = CliHarness.Run("run", Basics("compare-cells.yaml"));
        var (gridExit, _, gridErr) = CliHarness.Run("grid", Basics("basic-rnn.yaml"), "--dry-run");

        Assert.Equal(ExitCodes.InvalidInput, runExit);
        Assert.Equal($"error: {Basics("compare-cells.yaml")}: is a grid file (it has 'base:'), not an experiment spec; run it with: rnnrunner grid {Basics("compare-cells.yaml")}",
            runErr.Trim());
        Assert.Equal(ExitCodes.InvalidInput, gridExit);
        Assert.Single(gridErr.Trim().Split('\n'));
        Assert.Contains("is an experiment spec, not a grid file", gridErr);
    }

    [Fact]
    public void A_data_path_that_does_not_exist_is_invalid_input_located_in_the_spec_and_no_folder_is_created()
    {
        using var temp = new TempDirectory();
        var spec = temp.File("imdb.yaml");
        File.WriteAllText(spec, File.ReadAllText(CliHarness.Example("imdb", "lstm.yaml"))
            .Replace("  dataset: imdb", "  dataset: imdb\n  path: no/such/archive.tar.gz"));

        var (validateExit, validateOut, validateErr) = CliHarness.Run("validate", spec);
        var (runExit, _, runErr) = CliHarness.Run("run", spec, "--results", temp.File("results"));

        Assert.Equal(ExitCodes.InvalidInput, validateExit);
        Assert.Equal("", validateOut);
        Assert.StartsWith($"error: {spec}:", validateErr);
        Assert.Contains("data.path: no/such/archive.tar.gz: no such file or folder", validateErr);
        Assert.Equal(ExitCodes.InvalidInput, runExit);
        Assert.Equal(validateErr, runErr);
        Assert.False(Directory.Exists(temp.File("results")));
    }

    [Fact]
    public void A_text_folder_without_the_named_class_is_invalid_input_at_the_classes_line()
    {
        using var temp = new TempDirectory();
        var spec = temp.File("topics.yaml");
        File.WriteAllText(spec, File.ReadAllText(CliHarness.Example("data", "topics.yaml"))
            .Replace("path: experiments/data/topics.tar.gz", $"path: {CliHarness.Example("data", "topics.tar.gz")}\n  classes: [arts, sports]"));

        var (exit, stdout, stderr) = CliHarness.Run("run", spec, "--results", temp.File("results"));

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal("", stdout);
        Assert.Matches(@$"^error: {System.Text.RegularExpressions.Regex.Escape(spec)}:\d+:\d+: data.classes: .*topics.tar.gz has no class folder 'sports' \(it has arts, science, sport\)\n$", stderr);
        Assert.False(Directory.Exists(temp.File("results")));
    }

    [Fact]
    public void A_ragged_csv_row_is_one_error_line_naming_the_file_and_row_exit_2_and_nothing_written()
    {
        using var temp = new TempDirectory();
        var csv = temp.File("tickets.csv");
        File.WriteAllLines(csv, File.ReadAllLines(CliHarness.Example("data", "tickets.csv")).Take(10).Append("11,a row without its queue"));
        var spec = temp.File("tickets.yaml");
        File.WriteAllText(spec, File.ReadAllText(CliHarness.Example("data", "tickets.yaml")).Replace("path: experiments/data/tickets.csv", $"path: {csv}"));

        var (exit, stdout, stderr) = CliHarness.Run("run", spec, "--results", temp.File("results"));

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"error: {spec}:14:9: data.path: {csv}:11: has 2 field(s); column 'queue' is field 3", stderr.Trim());
        Assert.False(Directory.Exists(temp.File("results")));
    }

    [Fact]
    public void A_mistaken_grid_axis_is_reported_once_at_its_line_with_a_suggestion_for_nested_paths()
    {
        using var temp = new TempDirectory();
        var grid = WriteGrid(temp, "  training.learning_rate: [0.1, 0.01]\n  model[1].unit: [3, 4]\nseeds: [1, 2]\n");

        var (exit, _, stderr) = CliHarness.Run("grid", grid, "--dry-run");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        var lines = stderr.Trim().Split('\n');
        Assert.Equal(2, lines.Length); // 8 trials, 2 mistakes
        Assert.Contains(lines, l => l.StartsWith($"error: {grid}:5:28: training.learning_rate: unknown key (did you mean 'training.optimizer.learning_rate'?)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"error: {grid}:6:19: model[1].unit: unknown key (did you mean 'units'?)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_tab_in_the_indentation_is_reported_on_its_own_line_in_plain_words()
    {
        using var temp = new TempDirectory();
        var spec = temp.File("tab.yaml");
        File.WriteAllText(spec, "name: tiny\nseed: 7\ndata:\n\tdataset: counting_sentiment\n");

        var (exit, _, stderr) = CliHarness.Run("validate", spec);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal($"error: {spec}:4:1: is not valid YAML: a tab indents this line; YAML indents with spaces only", stderr.Trim());
    }

    [Fact]
    public void Run_json_with_an_invalid_spec_prints_the_errors_as_json_on_stdout()
    {
        var (exit, stdout, _) = CliHarness.Run("run", Basics("basic-rnn.yaml"), "--set", "model[1].units=0", "--json");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        var error = json.RootElement.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal("model[1].units", error.GetProperty("path").GetString());
        Assert.Contains("out of range", error.GetProperty("message").GetString());
    }

    /// <summary>The engine says what it supports (IEngine.Problems); validate and run ask it, and locate the answer.</summary>
    [Fact]
    public void The_scratch_engine_is_accepted_on_the_cpu_and_refused_on_cuda()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("cpu.yaml"), Support.Specs.BasicRnn.Replace("seed: 7", "seed: 7\nengine: scratch"));
        File.WriteAllText(temp.File("cuda.yaml"), Support.Specs.BasicRnn.Replace("seed: 7", "seed: 7\nengine: scratch\ndevice: cuda"));

        Assert.Equal(ExitCodes.Success, CliHarness.Run("validate", temp.File("cpu.yaml")).Exit);
        var (exit, stdout, _) = CliHarness.Run("validate", temp.File("cuda.yaml"), "--json");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        using var json = JsonDocument.Parse(stdout);
        var error = json.RootElement[0].GetProperty("errors").EnumerateArray().Single();
        Assert.Equal("device", error.GetProperty("path").GetString());
        Assert.Contains("CPU only", error.GetProperty("message").GetString());
        Assert.Equal(4, error.GetProperty("line").GetInt32());
    }

    /// <summary>A grid over the basic-rnn example with the given axes (its axes: line is line 4).</summary>
    private static string WriteGrid(TempDirectory temp, string axes)
    {
        var path = temp.File("grid.yaml");
        File.WriteAllText(path, $"name: g\nbase: {Basics("basic-rnn.yaml")}\ndescription: a test grid\naxes:\n{axes}");
        return path;
    }
}
