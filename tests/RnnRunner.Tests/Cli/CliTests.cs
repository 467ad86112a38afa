using RnnRunner.Cli;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Cli;

/// <summary>The command line as a user meets it: exit codes, one-line errors, no stack traces.</summary>
[Collection(TorchCollection.Name)]
public class CliTests
{
    private static (int Exit, string Out, string Err) Cli(params string[] args) => CliHarness.Run(args);

    private static string Example(string name) => CliHarness.Example("basics", name);

    [Fact]
    public void Validate_accepts_valid_specs()
    {
        var (exit, stdout, _) = Cli("validate", Example("basic-rnn.yaml"), Example("sequence-outputs.yaml"));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("basic-rnn.yaml: ok (3 layers, 2,113 parameters)", stdout);
    }

    [Fact]
    public void Validate_reports_each_error_on_one_line_with_its_location_and_exits_2()
    {
        using var temp = new TempDirectory();
        var spec = temp.File("bad.yaml");
        File.WriteAllText(spec, Support.Specs.BasicRnn.Replace("units: 16", "units: 0").Replace("epochs: 3", "epoch: 3"));

        var (exit, stdout, stderr) = Cli("validate", spec);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal("", stdout);
        var lines = stderr.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains($"error: {spec}:14:12: model[1].units: 0 is out of range", stderr);
        Assert.Contains($"error: {spec}:19:3: training.epoch: unknown key (did you mean 'epochs'?)", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Theory]
    [InlineData("validate", "/no/such/spec.yaml")]
    [InlineData("run", "/no/such/spec.yaml")]
    [InlineData("summary", "/")]
    [InlineData("run", "--no-such-option")]
    public void Bad_input_exits_2_with_a_short_message(string command, string argument)
    {
        var (exit, _, stderr) = Cli(command, argument);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.StartsWith("error: ", stderr);
        Assert.DoesNotContain("Exception", stderr);
    }

    [Fact]
    public void Overrides_on_the_command_line_are_validated_too()
    {
        var (exit, _, stderr) = Cli("validate", Example("basic-rnn.yaml"), "--set", "model[1].units=-1");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("error: --set model[1].units=-1: model[1].units: -1 is out of range", stderr);
    }

    [Fact]
    public void Summary_prints_the_keras_style_table()
    {
        var (exit, stdout, _) = Cli("summary", Example("stacked-rnn.yaml"));

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("simple_rnn_1 (SimpleRNN)  (None, 20, 32)", stdout);
        Assert.Contains("Total params: 4,225 (TorchSharp convention)", stdout);
    }

    [Fact]
    public void Run_trains_and_prints_the_results_folder_on_stdout()
    {
        using var temp = new TempDirectory();

        var (exit, stdout, stderr) = Cli("run", Example("basic-rnn.yaml"), "--set", "training.epochs=1",
            "--set", "data.train_samples=300", "--results", temp.Path);

        Assert.Equal(ExitCodes.Success, exit);
        var folder = stdout.Trim()["Results: ".Length..];
        Assert.True(File.Exists(Path.Combine(Path.GetFullPath(folder), "summary.json")), stdout);
        Assert.Contains("Epoch 1:", stderr);
        Assert.DoesNotContain("\u001b[", stderr); // not a terminal: no escape codes
        Assert.StartsWith("# Command-line overrides", File.ReadAllText(Path.Combine(folder, "spec.yaml")));
    }

    [Fact]
    public void Run_without_a_spec_uses_the_built_in_default()
    {
        using var temp = new TempDirectory();

        var (exit, stdout, _) = Cli("run", "--set", "training.epochs=1", "--set", "data.train_samples=200", "--results", temp.Path, "-q");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("basic-rnn", stdout);
        Assert.Equal(
            File.ReadAllText(Example("basic-rnn.yaml")),
            RnnRunner.Cli.Commands.BuiltInExperiments.DefaultSpec());
    }

    [Fact]
    public void Quiet_prints_only_the_results_line()
    {
        using var temp = new TempDirectory();

        var (_, stdout, stderr) = Cli("run", Example("basic-rnn.yaml"), "--set", "training.epochs=1", "--results", temp.Path, "--quiet");

        Assert.Equal("", stderr);
        Assert.StartsWith("Results: ", stdout);
    }
}

[Collection(TorchCollection.Name)]
public class PredictCommandTests
{
    private static (int Exit, string Out, string Err) Cli(params string[] args) => CliHarness.Run(args);

    [Fact]
    public void Predict_scores_each_review_from_a_trained_text_run()
    {
        using var temp = new TempDirectory();
        var archive = TinyImdb.WriteTarGz(temp.Path);
        var spec = Path.Combine(Support.Specs.RepositoryRoot, "experiments", "imdb", "lstm.yaml");
        var (exit, stdout, stderr) = Cli("run", spec, "--set", $"data.path={archive}", "--set", "data.maxlen=12",
            "--set", "training.epochs=1", "--set", "training.validation_split=0", "--set", "training.early_stopping=null",
            "--set", "training.reduce_lr_on_plateau=null",
            "--results", temp.File("results"), "-q");
        Assert.True(exit == ExitCodes.Success, stderr);
        var folder = stdout.Trim()["Results: ".Length..];
        File.WriteAllText(temp.File("review.txt"), "Boring and awful.");

        (exit, stdout, stderr) = Cli("predict", folder, "--text", "A great film, loved the acting.", "--file", temp.File("review.txt"));

        Assert.Equal(ExitCodes.Success, exit);
        var lines = stdout.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^(pos|neg)\tP\(\1\) = 0\.\d{4}\tA great film, loved the acting\.$", lines[0]);
        Assert.EndsWith("\tBoring and awful.", lines[1]);
    }

    [Fact]
    public void Predict_on_a_non_text_run_or_a_missing_folder_is_a_clear_error()
    {
        using var temp = new TempDirectory();
        var (_, stdout, _) = Cli("run", Path.Combine(Support.Specs.RepositoryRoot, "experiments", "basics", "basic-rnn.yaml"),
            "--set", "training.epochs=1", "--set", "data.train_samples=100", "--results", temp.Path, "-q");

        var (exit, _, stderr) = Cli("predict", stdout.Trim()["Results: ".Length..], "--text", "hello");
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("this run was trained on counting_sentiment", stderr);

        (exit, _, stderr) = Cli("predict", temp.File("nope"), "--text", "hello");
        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("no such run folder", stderr);
    }
}

/// <summary>Terminal conventions: --json, help with examples, completions, no escape codes off a terminal.</summary>
[Collection(TorchCollection.Name)]
public class TerminalConventionTests
{
    private static (int Exit, string Out, string Err) Cli(params string[] args) => CliHarness.Run(args);

    private static string Example(string name) => CliHarness.Example("basics", name);

    [Fact]
    public void Validate_json_lists_each_file_with_its_errors_and_locations()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("bad.yaml"), Support.Specs.BasicRnn.Replace("units: 16", "units: 0"));

        var (exit, stdout, _) = Cli("validate", Example("basic-rnn.yaml"), temp.File("bad.yaml"), "--json");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        var files = json.RootElement.EnumerateArray().ToList();
        Assert.True(files[0].GetProperty("valid").GetBoolean());
        Assert.Equal(2113, files[0].GetProperty("parameters").GetInt64());
        var error = files[1].GetProperty("errors")[0];
        Assert.Equal((14, 12, "model[1].units"), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32(), error.GetProperty("path").GetString()));
    }

    [Fact]
    public void Summary_json_gives_layers_shapes_and_both_parameter_counts()
    {
        var (exit, stdout, _) = Cli("summary", Example("basic-rnn.yaml"), "--json");

        Assert.Equal(ExitCodes.Success, exit);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.Equal(2113, json.RootElement.GetProperty("parameters").GetInt64());
        Assert.Equal(2081, json.RootElement.GetProperty("parameters_keras").GetInt64());
        Assert.Equal("(None, 32)", json.RootElement.GetProperty("layers")[1].GetProperty("output_shape").GetString());
    }

    [Fact]
    public void Run_json_gives_the_folder_and_the_summary()
    {
        using var temp = new TempDirectory();

        var (exit, stdout, _) = Cli("run", Example("basic-rnn.yaml"), "--set", "training.epochs=1", "--set", "data.train_samples=200",
            "--results", temp.Path, "--json", "-q");

        Assert.Equal(ExitCodes.Success, exit);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.True(Directory.Exists(json.RootElement.GetProperty("results").GetString()));
        Assert.Equal("completed", json.RootElement.GetProperty("summary").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("run")]
    [InlineData("validate")]
    [InlineData("summary")]
    [InlineData("predict")]
    [InlineData("schema")]
    [InlineData("resume")]
    [InlineData("grid")]
    [InlineData("compare")]
    public void Every_command_has_help_with_examples(string command)
    {
        var (exit, stdout, _) = Cli(command, "--help");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("Example", stdout);
        Assert.Contains("rnnrunner ", stdout);
    }

    [Fact]
    public void The_version_is_printed()
    {
        var (exit, stdout, _) = Cli("--version");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout.Trim());
    }

    [Fact]
    public void Shell_completion_suggests_commands_and_options()
    {
        var root = CliApplication.CreateRootCommand();

        Assert.Contains("validate", root.Parse("va").GetCompletions().Select(c => c.Label));
        Assert.Contains("--results", root.Parse("run x --re").GetCompletions().Select(c => c.Label));
    }

    [Fact]
    public void Nothing_written_off_a_terminal_or_under_NO_COLOR_has_escape_codes()
    {
        using var temp = new TempDirectory();
        var previous = Environment.GetEnvironmentVariable("NO_COLOR");
        try
        {
            Environment.SetEnvironmentVariable("NO_COLOR", "1");
            var (_, stdout, stderr) = Cli("run", Example("basic-rnn.yaml"), "--set", "training.epochs=2", "--results", temp.Path);
            var (_, errOut, errErr) = Cli("validate", "/no/such.yaml");

            foreach (var text in new[] { stdout, stderr, errOut, errErr })
                Assert.DoesNotContain('\u001b', text);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NO_COLOR", previous);
        }
    }
}
