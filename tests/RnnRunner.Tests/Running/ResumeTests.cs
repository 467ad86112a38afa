using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Training;
using RnnRunner.Engines.Torch;
using RnnRunner.Plotting;
using RnnRunner.Tests.Support;
using Serilog;

namespace RnnRunner.Tests.Running;

/// <summary>An interrupted run, resumed, ends exactly where an unbroken run ends.</summary>
[Collection(TorchCollection.Name)]
public class ResumeTests
{
    private static ExperimentRun Runner() => TestRuns.New();

    /// <summary>metrics.csv without the timings, which are the only thing allowed to differ.</summary>
    private static IEnumerable<string> MetricsWithoutTimings(RunFolder folder) => MetricsFile.WithoutTimings(folder.Metrics);

    [Theory]
    [InlineData(1, "torch")]
    [InlineData(3, "torch")]
    [InlineData(1, "scratch")]
    [InlineData(3, "scratch")]
    [InlineData(2, "torch", true)]
    [InlineData(2, "scratch", true)]
    public void A_run_interrupted_after_epoch_k_and_resumed_equals_the_run_done_in_one_go(int k, string engine, bool byLength = false)
    {
        using var temp = new TempDirectory();
        // Dropout (random masks), shuffling, early stopping with restore and the learning-rate schedule all have
        // state a resume must carry; length batches a batch order that must come out the same.
        string[] lengthBatches = byLength
            ? ["data.min_length=0", "model[0].mask_zero=true", "training.batching={by_length: true, bucket_width: 3}"]
            : [];
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, [$"engine={engine}", "training.epochs=5", "model[1].dropout=0.3",
            "training.reduce_lr_on_plateau={monitor: val_loss, factor: 0.5, patience: 1}",
            "training.early_stopping={monitor: val_loss, patience: 2, restore_best_weights: true}", .. lengthBatches]);

        var unbroken = Runner().Execute(spec, new RunOptions(temp.File("a")));

        using var cancel = new CancellationTokenSource();
        var interrupted = Runner().Execute(spec, new RunOptions(temp.File("b")) { Progress = new InterruptAfter(k, cancel) }, cancel.Token);
        Assert.True(RunStatus.Interrupted == interrupted.Summary.Status, interrupted.Summary.Message);
        Assert.Equal(k, interrupted.Summary.EpochsRun);
        Assert.Contains("rnnrunner resume", interrupted.Summary.Message);

        var resumed = Runner().Resume(interrupted.Folder, new RunOptions(temp.File("b")));

        Assert.Equal(RunStatus.Completed, resumed.Summary.Status);
        Assert.Equal(interrupted.Folder.Path, resumed.Folder.Path);
        Assert.Equal(1, resumed.Summary.Resumes);
        Assert.Equal(MetricsWithoutTimings(unbroken.Folder), MetricsWithoutTimings(resumed.Folder));
        Assert.Equal(unbroken.Summary.TestMetrics, resumed.Summary.TestMetrics);
        Assert.Equal(unbroken.Summary.BestEpoch, resumed.Summary.BestEpoch);
        Assert.Equal(File.ReadAllBytes(unbroken.Folder.Weights), File.ReadAllBytes(resumed.Folder.Weights));
    }

    [Fact]
    public void A_completed_run_cannot_be_resumed()
    {
        using var temp = new TempDirectory();
        var done = Runner().Execute(Support.Specs.Load(Support.Specs.BasicRnn, "training.epochs=1"), new RunOptions(temp.Path));

        var e = Assert.Throws<ResumeException>(() => Runner().Resume(done.Folder, new RunOptions(temp.Path)));

        Assert.Contains("already completed", e.Message);
    }

    [Fact]
    public void The_cli_resumes_an_interrupted_run_and_refuses_other_folders()
    {
        using var temp = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        var interrupted = Runner().Execute(Support.Specs.Load(Support.Specs.BasicRnn, "training.epochs=3"),
            new RunOptions(temp.Path) { Progress = new InterruptAfter(1, cancel) }, cancel.Token);

        var (exit, stdout, _) = CliHarness.Run("resume", interrupted.Folder.Path, "-q");
        Assert.Equal(RnnRunner.Cli.ExitCodes.Success, exit);
        Assert.Contains(interrupted.Folder.Id, stdout);
        Assert.Equal(4, File.ReadAllLines(interrupted.Folder.Metrics).Length);

        (exit, _, var stderr) = CliHarness.Run("resume", interrupted.Folder.Path);
        Assert.Equal(RnnRunner.Cli.ExitCodes.InvalidInput, exit);
        Assert.Contains("already completed", stderr);
        (exit, _, stderr) = CliHarness.Run("resume", temp.File("missing"));
        Assert.Equal(RnnRunner.Cli.ExitCodes.InvalidInput, exit);
    }
}
