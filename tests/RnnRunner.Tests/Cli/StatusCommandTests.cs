using System.Text.Json;
using RnnRunner.Core.Grids;
using RnnRunner.Core.Results;
using RnnRunner.Core.Storage;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Cli;

/// <summary><c>rnnrunner status</c>: a grid folder's trials by state, from their summaries and locks alone.</summary>
[Trait(TestLevel.Key, TestLevel.Process)]
public class StatusCommandTests
{
    private static void Summary(string folder, RunStatus status, int epochs, string? message = null)
    {
        Directory.CreateDirectory(folder);
        new RunSummary
        {
            Name = Path.GetFileName(folder), RunId = "001", Status = status, Engine = "scratch", Device = "cpu", Seed = 1, StartedUtc = DateTime.UtcNow,
            Parameters = 1, ParametersKerasConvention = 1, EpochsRun = epochs, Message = message, Versions = new Dictionary<string, string>(),
        }.Write(RunFolder.At(folder).Summary);
    }

    [Fact]
    public void Each_trial_shows_as_done_running_by_its_holder_interrupted_failed_pruned_or_pending()
    {
        using var temp = new TempDirectory();
        var grid = temp.File("grid");
        var names = new[] { "a-done", "b-running", "c-crashed", "d-failed", "e-pruned", "f-pending" };
        Directory.CreateDirectory(grid);
        new GridManifest("g", "abc", "g.yaml", names.Select(n => new ManifestTrial(n, n, n, [])).ToList()).Write(grid);
        var trials = new GridFolder(grid);
        Summary(trials.Trial("a-done"), RunStatus.Completed, 5);
        Summary(trials.Trial("b-running"), RunStatus.Running, 2);
        Summary(trials.Trial("c-crashed"), RunStatus.Running, 3); // running, but nobody holds it: its process died
        Summary(trials.Trial("d-failed"), RunStatus.Failed, 1, "out of memory");
        Summary(trials.Trial("e-pruned"), RunStatus.Pruned, 1, "pruned at rung 0 (epoch 1)");
        using var held = RunLock.Acquire(trials.Trial("b-running")); // held by this test process; status runs in another

        var (exit, stdout, stderr) = CliProcess.Run("status", grid, "--json");

        Assert.True(exit == 0, stderr);
        var rows = JsonDocument.Parse(stdout).RootElement.GetProperty("trials").EnumerateArray()
            .ToDictionary(r => r.GetProperty("trial").GetString()!, r => (State: r.GetProperty("state").GetString(), Holder: r.TryGetProperty("holder", out var h) ? h.GetString() : null));
        Assert.Equal(("done", null), rows["a-done"]);
        Assert.Equal("running", rows["b-running"].State);
        Assert.StartsWith($"pid {Environment.ProcessId} on ", rows["b-running"].Holder);
        Assert.Equal("interrupted", rows["c-crashed"].State);
        Assert.Equal("failed", rows["d-failed"].State);
        Assert.Equal("pruned", rows["e-pruned"].State);
        Assert.Equal("pending", rows["f-pending"].State);
        var (_, text, _) = CliProcess.Run("status", grid);
        Assert.Contains("grid g (", text);
        Assert.Contains("6 trials — 1 done, 1 running, 1 interrupted, 1 pruned, 1 failed, 1 pending", text);
    }

    [Fact]
    public void A_folder_that_is_no_grid_or_study_is_one_error_line()
    {
        using var temp = new TempDirectory();

        var (exit, _, stderr) = CliProcess.Run("status", temp.Path);

        Assert.Equal(2, exit);
        Assert.Contains("not a grid or study folder", stderr);
    }
}
