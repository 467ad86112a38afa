using System.Text.Json;
using RnnRunner.Cli;
using RnnRunner.Cli.Terminal;
using RnnRunner.Core.Grids;
using RnnRunner.Core.Reports;
using RnnRunner.Core.Search;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Reliability;

/// <summary>
/// Grids, studies, Slurm scripts and terminals met with careless or hostile values: results that would be silently
/// wrong are refused, damaged journals are named and repairable, and nothing a user's file holds is ever run.
/// </summary>
[Collection(TorchCollection.Name)]
public class HostileCommandTests
{
    private static string Base(TempDirectory temp)
    {
        File.WriteAllText(temp.File("base.yaml"), Support.Specs.BasicRnn.Replace("epochs: 3", "epochs: 1").Replace("train_samples: 600", "train_samples: 200"));
        return temp.File("base.yaml");
    }

    [Fact]
    public void Grid_axes_that_overlap_are_refused_at_validation_instead_of_making_trials_that_differ_in_name_only()
    {
        using var temp = new TempDirectory();
        Base(temp);
        File.WriteAllText(temp.File("grid.yaml"), "name: g\nbase: base.yaml\naxes:\n  model[1].units: [8, 16]\n  model[1]:\n    - {type: lstm, units: 4}\n");

        var (exit, _, stderr) = CliHarness.Run("validate", temp.File("grid.yaml"));

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("model[1].units: lies inside model[1], which is also varied", stderr);
    }

    [Fact]
    public void Study_parameters_that_overlap_are_refused_at_validation()
    {
        using var temp = new TempDirectory();
        Base(temp);
        File.WriteAllText(temp.File("study.yaml"), "name: s\nbase: base.yaml\nsearch:\n  trials: 4\n  parameters:\n"
            + "    model[1].units: {type: int, low: 2, high: 8}\n    model[1]: {type: choice, values: [{type: gru, units: 4}, {type: lstm, units: 4}]}\n");

        var (exit, _, stderr) = CliHarness.Run("validate", temp.File("study.yaml"));

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Contains("search.parameters.model[1].units: lies inside search.parameters.model[1], which is also searched", stderr);
    }

    [Fact]
    public void A_grid_trial_s_identity_changes_with_its_data_s_content_so_a_trial_on_other_bytes_is_never_reused()
    {
        using var temp = new TempDirectory();
        File.Copy(CliHarness.Example("data", "tickets.csv"), temp.File("tickets.csv"));
        File.WriteAllText(temp.File("base.yaml"), File.ReadAllText(CliHarness.Example("data", "tickets.yaml")).Replace("experiments/data/tickets.csv", temp.File("tickets.csv")));
        File.WriteAllText(temp.File("grid.yaml"), "name: g\nbase: base.yaml\naxes:\n  model[1].units: [8, 16]\n");
        var before = GridExpander.LoadFile(temp.File("grid.yaml"));

        var original = File.ReadAllText(temp.File("tickets.csv"));
        File.AppendAllText(temp.File("tickets.csv"), "999,my invoice was charged twice again,billing\n");
        var after = GridExpander.LoadFile(temp.File("grid.yaml"));
        File.WriteAllText(temp.File("tickets.csv"), original); // the same bytes again, written at another time
        var restored = GridExpander.LoadFile(temp.File("grid.yaml"));

        Assert.NotEqual(before.Trials[0].Identity, after.Trials[0].Identity);
        Assert.NotEqual(before.Identity, after.Identity);
        Assert.Equal(before.Identity, restored.Identity);
    }

    [Fact]
    public void A_damaged_journal_line_is_named_and_repair_sets_it_aside_keeping_every_record()
    {
        using var temp = new TempDirectory();
        var journal = new StudyJournal(temp.Path);
        journal.Append(new JournalRecord { Event = JournalEvent.Sampled, Trial = 0, Sample = 0, Point = [0.5] },
            new JournalRecord { Event = JournalEvent.Started, Trial = 0, Epoch = 1 });
        File.AppendAllText(journal.Path, "{\"event\": \"completed\", \"trial\": 0, oops}\n{\"event\": \"reported\", \"trial\": 0, \"epoch\": 1, \"value\": 0.7}\n");

        var damage = Assert.Throws<DamagedJournalException>(() => journal.Read());
        var setAside = journal.Repair();

        Assert.StartsWith($"{journal.Path}:3: not a journal record", damage.Message);
        Assert.Equal(1, setAside);
        Assert.Equal([JournalEvent.Sampled, JournalEvent.Started, JournalEvent.Reported], journal.Read().Select(r => r.Event));
        Assert.Equal("{\"event\": \"completed\", \"trial\": 0, oops}\n", File.ReadAllText(journal.DamagedPath));
    }

    [Fact]
    public void A_study_believes_its_trial_folders_over_a_forged_journal_and_names_a_damaged_one_with_the_repair()
    {
        using var temp = new TempDirectory();
        Base(temp);
        File.WriteAllText(temp.File("study.yaml"), "name: s\nbase: base.yaml\nsearch:\n  sampler: random\n  trials: 2\n  objective: val_accuracy\n"
            + "  parameters:\n    model[1].units: {type: int, low: 2, high: 8}\n");
        var results = temp.File("results");
        var (exit, stdout, stderr) = CliHarness.Run("search", temp.File("study.yaml"), "--results", results, "--json", "-q");
        Assert.True(exit == 0, stderr);
        var folder = JsonDocument.Parse(stdout).RootElement.GetProperty("results").GetString()!;
        var journal = Path.Combine(folder, StudyJournal.FileName);
        File.AppendAllText(journal, "{\"event\":\"reported\",\"trial\":0,\"epoch\":1,\"value\":1.0}\n{\"event\":\"failed\",\"trial\":1,\"message\":\"forged\"}\n");

        var (reportExit, reportOut, reportErr) = CliHarness.Run("search", temp.File("study.yaml"), "--results", results, "--json");
        File.AppendAllText(journal, "not json\n");
        var (damagedExit, _, damagedErr) = CliHarness.Run("search", temp.File("study.yaml"), "--results", results, "-q");
        var (repairedExit, _, repairedErr) = CliHarness.Run("search", temp.File("study.yaml"), "--results", results, "--repair", "-q");

        Assert.True(reportExit == 0, reportErr);
        var trials = JsonDocument.Parse(reportOut).RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.All(trials, t => Assert.Equal("completed", t.GetProperty("state").GetString()));
        Assert.All(trials, t => Assert.True(t.GetProperty("value").GetDouble() < 1.0));
        Assert.Contains("the journal says failed, its folder says completed; the folder is believed", reportErr);
        Assert.Equal(ExitCodes.InvalidInput, damagedExit);
        Assert.Contains($"{journal}:", damagedErr);
        Assert.Contains($"continue with: rnnrunner search {temp.File("study.yaml")} --repair", damagedErr);
        Assert.DoesNotContain("unexpected", damagedErr);
        Assert.True(repairedExit == 0, repairedErr);
        Assert.Contains("1 damaged journal line(s) set aside", repairedErr);
    }

    [Theory]
    [InlineData("--partition", "p\ntouch /tmp/rnnrunner-injected")]
    [InlineData("--account", "a\r#SBATCH --wrap=id")]
    [InlineData("--sbatch-arg", "--mem=1G\ntouch /tmp/rnnrunner-injected")]
    [InlineData("--results", "results\n#SBATCH --wrap=id")]
    public void Values_that_would_start_a_command_in_a_job_script_are_refused_before_anything_is_written(string option, string value)
    {
        using var temp = new TempDirectory();
        Base(temp);
        File.WriteAllText(temp.File("grid.yaml"), "name: g\nbase: base.yaml\naxes:\n  model[1].units: [2, 3]\n");
        var results = option == "--results" ? temp.File(value) : temp.File("results");

        string[] extra = option == "--results" ? [] : [option, value];
        var (exit, stdout, stderr) = CliHarness.Run(["submit", "slurm", temp.File("grid.yaml"), "--results", results, .. extra, "--dry-run"]);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal("", stdout);
        Assert.Contains("holds a control character", stderr);
        Assert.DoesNotContain('\n', stderr.TrimEnd('\n'));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(temp.Path), e => !e.EndsWith(".yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void Text_from_files_and_arguments_reaches_the_terminal_with_its_control_characters_escaped()
    {
        var missing = "/tmp/no-such-\u001b]0;pwned\u0007-spec.yaml";

        var (exit, stdout, stderr) = CliHarness.Run("validate", missing);

        Assert.Equal(ExitCodes.InvalidInput, exit);
        Assert.Equal("", stdout);
        Assert.DoesNotContain('\u001b', stderr);
        Assert.DoesNotContain('\u0007', stderr);
        Assert.Contains("no-such-\\e]0;pwned\\x07-spec.yaml", stderr);
        var writer = new StringWriter();
        new EscapingTextWriter(writer).Write("line one\nline\ttwo\u009b31m\u202e");
        Assert.Equal("line one\nline\ttwo\\x9b31m\\u202e", writer.ToString());
    }

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("@SUM(1)", "'@SUM(1)")]
    [InlineData("+cmd", "'+cmd")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("1e-3", "1e-3")]
    [InlineData("lstm_units8", "lstm_units8")]
    public void Csv_cells_that_a_spreadsheet_would_run_as_formulas_are_written_as_text(string cell, string written) =>
        Assert.Equal(written, CsvCell.Safe(cell));

    [Fact]
    public void A_comparison_csv_holds_no_formula_whatever_the_grid_s_values_are()
    {
        using var temp = new TempDirectory();
        var runs = new[] { "=1+2.csv", "@SUM(1).csv", "-2+3.csv" }.Select((path, i) => TestComparisons.Run($"g{i}", 0.9 - i / 10.0, 0.8,
            settings: TestComparisons.Spec(changes: ("data.path", path)), name: $"trial{i}")).ToList();

        RnnRunner.Core.Comparisons.ComparisonTables.Write(temp.Path, RnnRunner.Core.Comparisons.Comparison.Of(runs, temp.Path));

        var csv = File.ReadAllText(Directory.GetFiles(temp.Path, "comparison.csv").Single());
        Assert.Contains("'=1+2.csv", csv);
        Assert.Contains("'@SUM(1).csv", csv);
        Assert.Contains("'-2+3.csv", csv);
        Assert.DoesNotContain(csv.Split('\n').SelectMany(l => l.Split(',')), c => c.TrimStart('"') is ['=' or '@' or '+', ..]);
    }

    [Fact]
    public void Predict_refuses_an_input_line_longer_than_any_text_after_reading_that_much_of_it()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("one-line.txt"), new string('a', (4 << 20) + 10));

        var lines = () => RnnRunner.Core.Storage.BoundedRead.Lines(new StreamReader(temp.File("one-line.txt")), temp.File("one-line.txt")).ToList();

        var error = Assert.Throws<RnnRunner.Core.Storage.TooLargeException>(lines);
        Assert.Contains($"{temp.File("one-line.txt")}:1: more than 4,194,304 bytes", error.Message);
    }

    [Trait(TestLevel.Key, TestLevel.Process)]
    [Fact]
    public void Resuming_a_run_folder_copied_outside_a_results_folder_rewrites_no_index_there()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("base.yaml"), Support.Specs.BasicRnn.Replace("train_samples: 600", "train_samples: 200"));
        // Killed after its first checkpoint: a run folder left "running", to be resumed.
        var (killed, _, _) = CliProcess.Run(new Dictionary<string, string> { ["RNNRUNNER_KILL_AT"] = "after-rename:checkpoint.bin" },
            "run", temp.File("base.yaml"), "--results", temp.File("results"));
        Assert.Equal(137, killed);
        var run = Directory.GetDirectories(temp.File("results/tiny")).Single(d => !Path.GetFileName(d).StartsWith('.'));
        var copy = temp.File("elsewhere/x/run-copy");
        CopyTree(run, copy);

        var (exit, _, stderr) = CliHarness.Run("resume", copy, "-q");

        Assert.True(exit == 0, stderr);
        Assert.False(File.Exists(temp.File("elsewhere/index.html")));
        Assert.False(File.Exists(temp.File("elsewhere/.index.json")));
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var sub in Directory.GetDirectories(from)) CopyTree(sub, Path.Combine(to, Path.GetFileName(sub)));
    }
}
