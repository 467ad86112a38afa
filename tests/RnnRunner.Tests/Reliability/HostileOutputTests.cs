using System.Text.Json;
using RnnRunner.Cli;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Reliability;

/// <summary>
/// A tickets model whose class names are hostile — a spreadsheet formula, a terminal escape — trained once (scratch
/// engine, a few seconds) for every test here: what the user names as an output, and what the model's labels hold,
/// must never destroy a file or reach a spreadsheet or a terminal as commands.
/// </summary>
public sealed class HostileLabelsModel : IDisposable
{
    public const string Formula = "=HYPERLINK(\"http://example.invalid\",\"x\")";
    public const string Escape = "\u001b]0;pwned\u0007";

    private readonly TempDirectory _temp = new();

    public string Run { get; }
    public string Results => _temp.File("results");

    public HostileLabelsModel()
    {
        var rows = System.IO.File.ReadAllLines(CliHarness.Example("data", "tickets.csv"));
        System.IO.File.WriteAllLines(_temp.File("tickets.csv"), rows.Take(1).Concat(rows.Skip(1)
            .Select(r => r.EndsWith(",account", StringComparison.Ordinal) ? r[..^"account".Length] + "\"" + Formula.Replace("\"", "\"\"") + "\""
                : r.EndsWith(",billing", StringComparison.Ordinal) ? r[..^"billing".Length] + Escape : r)));
        var (exit, stdout, stderr) = CliHarness.Run("run", CliHarness.Example("data", "tickets.yaml"), "--set", $"data.path={_temp.File("tickets.csv")}",
            "--set", "training.epochs=8", "--results", Results, "--json", "-q");
        Assert.True(exit == 0, stderr);
        Run = JsonDocument.Parse(stdout).RootElement.GetProperty("results").GetString()!;
    }

    public string File(string name) => _temp.File(name);

    public void Dispose() => _temp.Dispose();
}

/// <summary>Output that must not destroy what the user had, and text that must not act as a command where it lands.</summary>
[Collection(TorchCollection.Name)]
public class HostileOutputTests(HostileLabelsModel model) : IClassFixture<HostileLabelsModel>
{
    private static string Lines(int count) => string.Concat(Enumerable.Range(0, count).Select(i => $"my invoice {i} was charged twice\n"));

    [Fact]
    public void Predict_refuses_to_write_over_its_own_input_even_through_a_link_and_the_input_is_kept()
    {
        var input = model.File("inputs.txt");
        File.WriteAllText(input, Lines(300));
        File.CreateSymbolicLink(model.File("alias.txt"), input);

        var (exit, _, stderr) = CliHarness.Run("predict", model.Run, "--input", input, "--output", input);
        var (linkExit, _, linkErr) = CliHarness.Run("predict", model.Run, "--input", input, "--output", model.File("alias.txt"));

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains($"error: --output {input} is the input {input}: writing there would destroy it", stderr);
        Assert.Equal(ExitCodes.InvalidInput, linkExit);
        Assert.Contains("writing there would destroy it", linkErr);
        Assert.Equal(Lines(300), File.ReadAllText(input));
    }

    [Fact]
    public void Predict_refuses_to_write_into_a_run_folder_and_the_trained_weights_stay_usable()
    {
        File.WriteAllText(model.File("few.txt"), Lines(3));
        var weights = Path.Combine(model.Run, "weights.bin");
        var before = File.ReadAllBytes(weights);

        var (exit, _, stderr) = CliHarness.Run("predict", model.Run, "--input", model.File("few.txt"), "--output", weights);
        var (afterExit, _, afterErr) = CliHarness.Run("predict", model.Run, "--text", "refund my invoice");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains($"is inside the run folder {model.Run}", stderr);
        Assert.Equal(before, File.ReadAllBytes(weights));
        Assert.True(afterExit == 0, afterErr);
    }

    [Trait(TestLevel.Key, TestLevel.Process)]
    [Fact]
    public void Predict_writes_to_a_device_such_as_dev_stdout_through_the_name_given()
    {
        File.WriteAllText(model.File("two.txt"), Lines(2));

        var (exit, stdout, stderr) = CliProcess.Run("predict", model.Run, "--input", model.File("two.txt"), "--output", "/dev/stdout");

        Assert.True(exit == 0, stderr);
        Assert.Equal(3, stdout.Trim().Split('\n').Length); // the header and two rows, through the pipe stdout is
    }

    [Trait(TestLevel.Key, TestLevel.Process)]
    [Fact]
    public void A_predict_killed_before_its_output_is_complete_leaves_the_previous_file_whole()
    {
        File.WriteAllText(model.File("many.txt"), Lines(500));
        var output = model.File("predictions.csv");
        File.WriteAllText(output, "the previous predictions\n");

        // Killed (SIGKILL) with the whole new file written under its temporary name, just before the rename.
        var (exit, _, _) = CliProcess.Run(new Dictionary<string, string> { ["RNNRUNNER_KILL_AT"] = "before-rename:predictions.csv" },
            "predict", model.Run, "--input", model.File("many.txt"), "--output", output);
        var kept = File.ReadAllText(output);
        var (againExit, _, againErr) = CliHarness.Run("predict", model.Run, "--input", model.File("many.txt"), "--output", output);

        Assert.Equal(137, exit);
        Assert.Equal("the previous predictions\n", kept);
        Assert.True(againExit == 0, againErr);
        Assert.Equal(501, File.ReadAllLines(output).Length);
    }

    /// <summary>Training rows of one class (their texts), which the model predicts as that class.</summary>
    private static IEnumerable<string> TextsOf(string queue) => File.ReadAllLines(CliHarness.Example("data", "tickets.csv")).Skip(1)
        .Where(r => r.EndsWith("," + queue, StringComparison.Ordinal)).Take(10)
        .Select(r => r[(r.IndexOf(',') + 1)..r.LastIndexOf(',')].Trim('"').Replace("\"\"", "\"", StringComparison.Ordinal));

    [Fact]
    public void A_label_that_is_a_spreadsheet_formula_is_written_to_csv_as_text()
    {
        File.WriteAllLines(model.File("accounts.txt"), TextsOf("account"));

        var (exit, stdout, stderr) = CliHarness.Run("predict", model.Run, "--input", model.File("accounts.txt"));

        Assert.True(exit == 0, stderr);
        Assert.Contains(",\"'=HYPERLINK(", stdout);
        Assert.DoesNotContain(",=", stdout);
        Assert.DoesNotContain(",\"=", stdout);
    }

    [Fact]
    public void A_label_holding_a_terminal_escape_is_printed_escaped()
    {
        var (exit, stdout, stderr) = CliHarness.Run(["predict", model.Run, .. TextsOf("billing").SelectMany(t => new[] { "--text", t })]);

        Assert.True(exit == 0, stderr);
        Assert.DoesNotContain('\u001b', stdout);
        Assert.DoesNotContain('\u0007', stdout);
        Assert.Contains("\\e]0;pwned\\x07", stdout);
    }

    [Fact]
    public void Run_into_a_completed_run_or_a_folder_that_is_no_run_is_refused_and_both_are_kept()
    {
        var weights = File.ReadAllBytes(Path.Combine(model.Run, "weights.bin"));
        Directory.CreateDirectory(model.File("home"));
        File.WriteAllText(model.File("home/notes.txt"), "mine");

        var (exit, _, stderr) = CliHarness.Run("run", CliHarness.Example("basics", "basic-rnn.yaml"), "--into", model.Run);
        var (homeExit, _, homeErr) = CliHarness.Run("run", CliHarness.Example("basics", "basic-rnn.yaml"), "--into", model.File("home"));

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("holds a completed run, which --into would replace", stderr);
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(model.Run, "weights.bin")));
        Assert.Equal(ExitCodes.InvalidInput, homeExit);
        Assert.Contains("is not a run folder", homeErr);
        Assert.Equal("mine", File.ReadAllText(model.File("home/notes.txt")));
    }

    [Fact]
    public void Evaluate_on_data_whose_classes_are_named_otherwise_is_refused_instead_of_matched_by_position()
    {
        File.WriteAllText(model.File("original.yaml"), $"dataset: table\npath: {CliHarness.Example("data", "tickets.csv")}\ntext_column: text\n"
            + "label_column: queue\ntest_split: 0.2\nnum_words: 100\nmaxlen: 40\n");

        var (exit, stdout, stderr) = CliHarness.Run("evaluate", model.Run, "--data", model.File("original.yaml"));

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal("", stdout);
        Assert.Contains("has classes account, billing, technical; the model was trained on", stderr);
        Assert.Contains("classes are matched by name", stderr);
    }

    [Theory]
    [InlineData("vocabulary.txt")]
    [InlineData("preprocessing.json")]
    public void A_vocabulary_or_preprocessing_report_edited_after_training_is_damage_not_a_silently_different_prediction(string file)
    {
        var copy = model.File($"copy-{file}");
        CopyFolder(model.Run, copy);
        var path = Path.Combine(copy, file);
        var lines = File.ReadAllLines(path);
        if (file == "vocabulary.txt") (lines[3], lines[4]) = (lines[4], lines[3]); // two words swap ranks
        else
        {
            var line = Array.FindIndex(lines, l => l.Any(char.IsAsciiDigit)); // one digit of a count, a rate or a hash
            var digit = lines[line].First(char.IsAsciiDigit);
            lines[line] = lines[line].Remove(lines[line].IndexOf(digit), 1).Insert(lines[line].IndexOf(digit), digit == '9' ? "8" : ((char)(digit + 1)).ToString());
        }
        File.WriteAllLines(path, lines);

        var (exit, _, stderr) = CliHarness.Run("predict", copy, "--text", "refund my invoice");

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains($"{path} is damaged: it was changed after the run wrote it", stderr);
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
