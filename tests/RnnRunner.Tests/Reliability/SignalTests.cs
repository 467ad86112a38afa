using System.Diagnostics;
using RnnRunner.Core.Results;
using RnnRunner.Core.Training;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Reliability;

/// <summary>Ctrl-C and SIGTERM on a real process, and a results location that cannot be written.</summary>
[Trait(TestLevel.Key, TestLevel.Process)]
public class SignalTests
{
    private static string LongSpec(TempDirectory temp)
    {
        var path = temp.File("spec.yaml");
        File.WriteAllText(path, Support.Specs.BasicRnn.Replace("epochs: 3", "epochs: 200").Replace("train_samples: 600", "train_samples: 3000"));
        return path;
    }

    private static void Signal(Process process, string signal) =>
        Process.Start("kill", [$"-{signal}", process.Id.ToString()])!.WaitForExit();

    /// <summary>Waits until the run has completed at least one epoch (metrics.csv has a data row).</summary>
    private static string WaitForFirstEpoch(TempDirectory temp)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var metrics = Directory.Exists(temp.File("results"))
                ? Directory.GetFiles(temp.File("results"), "metrics.csv", SearchOption.AllDirectories).FirstOrDefault()
                : null;
            if (metrics is not null && File.ReadAllLines(metrics).Length >= 2) return Path.GetDirectoryName(metrics)!;
            Thread.Sleep(100);
        }
        throw new TimeoutException("the run never completed an epoch");
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task A_signal_stops_at_a_safe_point_marks_the_run_interrupted_and_says_how_to_resume(string signal)
    {
        using var temp = new TempDirectory();
        using var process = CliProcess.Start("run", LongSpec(temp), "--results", temp.File("results"));
        var stderr = process.StandardError.ReadToEndAsync();
        var folder = WaitForFirstEpoch(temp);

        Signal(process, signal);
        var errors = await stderr;
        process.WaitForExit(30_000);

        Assert.Equal(130, process.ExitCode);
        var summary = RunSummary.Read(Path.Combine(folder, "summary.json"));
        Assert.Equal(RunStatus.Interrupted, summary.Status);
        Assert.True(summary.EpochsRun >= 1);
        Assert.Equal(summary.EpochsRun + 1, File.ReadAllLines(Path.Combine(folder, "metrics.csv")).Length);
        Assert.Contains("continue with: rnnrunner resume", errors);
        Assert.True(File.Exists(Path.Combine(folder, "checkpoint.bin")));
    }

    [Fact]
    public async Task In_a_slurm_job_the_scheduler_s_signal_is_named_instead_of_asking_for_a_second_ctrl_c()
    {
        using var temp = new TempDirectory();
        using var process = CliProcess.Start(new Dictionary<string, string> { ["SLURM_JOB_ID"] = "4242" }, "run", LongSpec(temp), "--results", temp.File("results"));
        var stderr = process.StandardError.ReadToEndAsync();
        WaitForFirstEpoch(temp);

        Signal(process, "TERM");
        var errors = await stderr;
        process.WaitForExit(30_000);

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("SIGTERM received in Slurm job 4242: stopping at the end of this batch", errors);
        Assert.DoesNotContain("Ctrl-C", errors);
    }

    [Fact]
    public void A_second_interrupt_stops_at_once_and_the_last_checkpoint_stays_intact()
    {
        using var temp = new TempDirectory();
        using var process = CliProcess.Start("run", LongSpec(temp), "--results", temp.File("results"));
        var folder = WaitForFirstEpoch(temp);

        Signal(process, "INT");
        Signal(process, "INT");
        process.WaitForExit(30_000);

        Assert.Equal(130, process.ExitCode);
        Assert.Equal("RNNCKPT1"u8.ToArray(), File.ReadAllBytes(Path.Combine(folder, "checkpoint.bin"))[..8]);
        var (exit, _, err) = CliProcess.Run("resume", folder, "-q", "--set", "x=1");
        Assert.Equal(2, exit); // resume takes no --set: a parse error, nothing touched
        Assert.True(File.Exists(Path.Combine(folder, "checkpoint.bin")), err);
    }

    [Fact]
    public void A_results_location_that_cannot_be_written_is_a_clear_error()
    {
        var (exit, stdout, stderr) = CliHarness.Run("run", CliHarness.Example("basics", "basic-rnn.yaml"),
            "--set", "training.epochs=1", "--results", "/proc/rnnrunner-results");

        Assert.Equal(RnnRunner.Cli.ExitCodes.RunFailed, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: cannot write results under '/proc/rnnrunner-results'", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
