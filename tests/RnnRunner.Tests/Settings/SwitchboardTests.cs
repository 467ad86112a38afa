using RnnRunner.Core.Settings;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Settings;

/// <summary>Every environment switch is read once, into one typed record, and documented from it.</summary>
public class SwitchboardTests
{
    [Fact]
    public void Switches_are_read_into_typed_values()
    {
        var board = Switchboard.Of(new Dictionary<string, string>
        {
            ["RNNRUNNER_LSTM_KERNELS"] = "onednn-training", ["RNNRUNNER_MASKED_RNN"] = "packed", ["RNNRUNNER_MALLOC"] = "system",
            ["RNNRUNNER_KILL_AT"] = "before-rename:summary.json:2", ["RNNRUNNER_PARENT_PID"] = "4242", ["SLURM_CPUS_PER_TASK"] = "3",
            ["RNNRUNNER_CACHE"] = "/tmp/some-cache", ["CI"] = "true", ["NOT_A_SWITCH"] = "ignored",
        });

        Assert.Equal(LstmKernelSwitch.OneDnnTraining, board.LstmKernels);
        Assert.Equal(MaskedRnnPath.Packed, board.MaskedRnn);
        Assert.False(board.KeepFreedMemory);
        Assert.Equal(new FaultTarget("before-rename", "summary.json", 2), board.KillAt);
        Assert.Equal(4242, board.ParentProcessId);
        Assert.Equal(3, board.SlurmCpusPerTask);
        Assert.Equal("/tmp/some-cache", board.CacheRoot);
        Assert.True(board.ContinuousIntegration);
        Assert.DoesNotContain("NOT_A_SWITCH", board.Set.Keys);
        Assert.Empty(board.Problems);
    }

    [Fact]
    public void Unset_switches_mean_the_defaults()
    {
        var board = Switchboard.Of(new Dictionary<string, string> { ["XDG_CACHE_HOME"] = "/tmp/xdg" });

        Assert.Equal((LstmKernelSwitch.Aten, MaskedRnnPath.Gathers, true), (board.LstmKernels, board.MaskedRnn, board.KeepFreedMemory));
        Assert.Null(board.KillAt);
        Assert.Null(board.SlurmCpusPerTask);
        Assert.Equal(Path.Combine("/tmp/xdg", "rnnrunner"), board.CacheRoot);
        Assert.False(board.ContinuousIntegration);
    }

    [Theory]
    [InlineData("RNNRUNNER_LSTM_KERNELS", "onednn_training", "expected aten, onednn, onednn-training")]
    [InlineData("RNNRUNNER_MASKED_RNN", "pack", "expected gathers, packed")]
    [InlineData("SLURM_CPUS_PER_TASK", "two", "expected a positive whole number")]
    [InlineData("RNNRUNNER_KILL_AT", "before-rename", "expected point:file[:n], e.g. before-rename:summary.json:2")]
    public void A_value_a_switch_cannot_mean_is_a_problem_naming_the_variable_and_value(string variable, string value, string expected)
    {
        var problem = Assert.Single(Switchboard.Of(new Dictionary<string, string> { [variable] = value }).Problems);

        Assert.Equal($"${variable}={value}: {expected}", problem);
    }

    [Trait(TestLevel.Key, TestLevel.Process)]
    [Fact]
    public void The_command_line_refuses_a_misspelt_switch_before_doing_anything()
    {
        using var temp = new TempDirectory();
        var (exit, _, err) = CliProcess.Run(new Dictionary<string, string> { ["RNNRUNNER_LSTM_KERNELS"] = "onednn_training" },
            "run", CliHarness.Example("basics", "basic-rnn.yaml"), "--results", temp.File("results"));

        Assert.Equal(2, exit);
        Assert.Equal("error: environment: $RNNRUNNER_LSTM_KERNELS=onednn_training: expected aten, onednn, onednn-training", err.Trim());
        Assert.False(Directory.Exists(temp.File("results")));
    }

    [Fact]
    public void Docs_environment_md_is_what_rnnrunner_env_markdown_prints()
    {
        var documented = File.ReadAllText(Path.Combine(Support.Specs.RepositoryRoot, "docs", "ENVIRONMENT.md"));

        Assert.True(documented == Switchboard.Markdown(), "docs/ENVIRONMENT.md is out of date: run ./rnnrunner env --markdown > docs/ENVIRONMENT.md");
    }

    [Trait(TestLevel.Key, TestLevel.Process)]
    [Fact]
    public void Rnnrunner_env_shows_each_switch_with_its_value_here()
    {
        var (exit, output, _) = CliProcess.Run(new Dictionary<string, string> { ["RNNRUNNER_MASKED_RNN"] = "packed" }, "env");

        Assert.Equal(0, exit);
        Assert.Matches(@"RNNRUNNER_MASKED_RNN\s+packed", output);
        Assert.Matches(@"RNNRUNNER_KILL_AT\s+\(not set\)", output);
    }

    [Trait(TestLevel.Key, TestLevel.Process)]
    [Fact]
    public void Rnnrunner_env_still_shows_the_values_when_one_is_wrong_and_names_it()
    {
        var (exit, output, err) = CliProcess.Run(new Dictionary<string, string> { ["RNNRUNNER_MASKED_RNN"] = "pack" }, "env");

        Assert.Equal(2, exit);
        Assert.Matches(@"RNNRUNNER_MASKED_RNN\s+pack", output);
        Assert.Equal("error: environment: $RNNRUNNER_MASKED_RNN=pack: expected gathers, packed", err.Trim());
    }

    [Fact]
    public void Nothing_outside_the_switchboard_reads_the_environment()
    {
        var runner = Path.Combine(Support.Specs.RepositoryRoot, "runner");
        var readers = Directory.EnumerateFiles(runner, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("Environment.GetEnvironmentVariable", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(runner, f))
            .ToList();

        Assert.Equal([Path.Combine("RnnRunner.Core", "Settings", "Switchboard.cs")], readers);
    }
}
