using RnnRunner.Core.Results;
using RnnRunner.Core.Storage;
using RnnRunner.Core.Training;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Reliability;

/// <summary>
/// Kills that land in the narrow windows between two writes, made deterministic with the RNNRUNNER_KILL_AT fault
/// points (a SIGKILL at an exact place, as kill -9 would) instead of timing luck: each leaves a folder that resume
/// finishes exactly as an unbroken run, with every derived file rebuilt and no temporary left behind.
/// </summary>
[Trait(TestLevel.Key, TestLevel.Process)]
[Collection(TorchCollection.Name)]
public class KillWindowTests
{
    private static readonly string[] Basic = ["--set", "training.epochs=3", "--set", "training.early_stopping=null", "-q"];

    private static (int Exit, string Err) RunKilledAt(string point, string results) =>
        CliProcess.Run(new Dictionary<string, string> { ["RNNRUNNER_KILL_AT"] = point },
            ["run", CliHarness.Example("basics", "basic-rnn.yaml"), .. Basic, "--results", results]) is var (exit, _, err) ? (exit, err) : default;

    private static RunFolder OnlyRun(string results) =>
        RunFolder.Open(Directory.GetDirectories(Path.Combine(results, "basic-rnn")).Single(d => !Path.GetFileName(d).StartsWith('.')));

    private static IEnumerable<string> MetricsWithoutTimings(RunFolder folder) => MetricsFile.WithoutTimings(folder.Metrics);

    [Theory]
    [InlineData("after-rename:summary.json:1")]              // the first files are written, training has not begun
    [InlineData("after-rename:checkpoint.bin:3")]            // the last epoch's checkpoint is in place, its metrics.csv row is not
    [InlineData("before-rename:metrics.csv:2")]              // a finished temporary is left behind
    public void A_run_killed_at_any_point_resumes_to_the_unbroken_result(string killAt)
    {
        using var temp = new TempDirectory();
        Assert.Equal(0, CliProcess.Run(["run", CliHarness.Example("basics", "basic-rnn.yaml"), .. Basic, "--results", temp.File("a")]).Exit);
        var unbroken = OnlyRun(temp.File("a"));

        var (exit, _) = RunKilledAt(killAt, temp.File("b"));
        var killed = OnlyRun(temp.File("b"));
        Assert.Equal(137, exit); // SIGKILL
        Assert.Equal(RunStatus.Running, RunSummary.Read(killed.Summary).Status);

        var (resumeExit, _, resumeErr) = CliProcess.Run("resume", killed.Path, "-q");

        Assert.True(resumeExit == 0, resumeErr);
        var summary = RunSummary.Read(killed.Summary);
        Assert.Equal(RunStatus.Completed, summary.Status);
        Assert.Equal(3, summary.EpochsRun);
        Assert.Equal(MetricsWithoutTimings(unbroken), MetricsWithoutTimings(killed));
        Assert.Equal(RunSummary.Read(unbroken.Summary).TestMetrics, summary.TestMetrics);
        Assert.Empty(Directory.GetFiles(killed.Path, ".*.tmp"));
        Assert.True(File.Exists(Path.Combine(killed.Plots, "accuracy.png")) || Directory.GetFiles(killed.Plots).Length > 0);
    }

    [Fact]
    public void A_run_killed_before_writing_anything_is_named_as_never_started()
    {
        using var temp = new TempDirectory();
        var (exit, _) = RunKilledAt("after-allocate:*", temp.Path);
        Assert.Equal(137, exit);

        var (resumeExit, _, stderr) = CliProcess.Run("resume", OnlyRun(temp.Path).Path);

        Assert.Equal(2, resumeExit);
        Assert.Contains("never started", stderr);
    }
}
