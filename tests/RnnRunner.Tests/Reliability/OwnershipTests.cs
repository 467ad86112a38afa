using System.Diagnostics;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Storage;
using RnnRunner.Core.Training;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Reliability;

/// <summary>
/// One owner per run folder and per grid trial, enforced by the kernel's flock (released when its holder dies):
/// a second resume is refused naming the holder, a second grid leaves a trial being trained alone (and does not
/// delete it), and a grid's child trial processes stop when the grid is killed.
/// </summary>
[Trait(TestLevel.Key, TestLevel.Process)]
[Collection(TorchCollection.Name)]
public class OwnershipTests
{
    [Fact]
    public void A_second_resume_of_a_folder_in_use_is_refused_naming_the_holder()
    {
        using var temp = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        var interrupted = TestRuns.New().Execute(Support.Specs.Load(Support.Specs.BasicRnn, "training.epochs=3"),
            new RunOptions(temp.Path) { Progress = new InterruptAfter(1, cancel) }, cancel.Token);

        string stderr;
        int exit;
        using (RunLock.Acquire(interrupted.Folder.Path)) // this test process is the first owner
            (exit, _, stderr) = CliProcess.Run("resume", interrupted.Folder.Path, "-q");
        var afterRelease = CliProcess.Run("resume", interrupted.Folder.Path, "-q");

        Assert.Equal(2, exit);
        Assert.Contains($"is in use by pid {Environment.ProcessId} on {Environment.MachineName}", stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.Equal(0, afterRelease.Exit);
    }

    [Fact]
    public void A_lock_is_released_when_its_holder_is_killed()
    {
        using var temp = new TempDirectory();
        var folder = temp.File("run");
        Directory.CreateDirectory(folder);
        // --close: the lock stays with flock itself, not with the sleep it starts
        using var holder = Process.Start("flock", ["--exclusive", "--close", Path.Combine(temp.Path, ".run.lock"), "sleep", "60"]);
        Thread.Sleep(300);
        Assert.Null(RunLock.TryAcquire(folder, out _));

        holder.Kill();
        holder.WaitForExit();

        using var mine = RunLock.TryAcquire(folder, out _);
        Assert.NotNull(mine);
    }

    [Fact]
    public void A_second_grid_leaves_a_trial_another_process_is_training_alone()
    {
        using var temp = new TempDirectory();
        var grid = TestGrid.RunIn(temp);
        var busy = Path.Combine(grid.Trials, "seed1");
        File.Delete(Path.Combine(busy, "summary.json")); // as if it were mid-way, owned by someone else
        File.WriteAllText(Path.Combine(busy, "marker"), "still here");

        int exit;
        string stderr;
        using (RunLock.Acquire(busy))
            (exit, _, stderr) = CliProcess.Run("grid", grid.File, "--results", grid.Results);

        Assert.Equal(1, exit);
        Assert.Contains($"trial seed1 (pid {Environment.ProcessId} on {Environment.MachineName}", stderr);
        Assert.True(File.Exists(Path.Combine(busy, "marker")), "the busy trial's folder was touched");
        Assert.Equal(RunStatus.Completed, RunSummary.Read(Path.Combine(grid.Trials, "seed2", "summary.json")).Status);
    }

    [Fact]
    public void Killing_a_grid_with_jobs_stops_its_child_trials_and_a_rerun_resumes_them()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("base.yaml"), Support.Specs.BasicRnn.Replace("epochs: 3", "epochs: 400").Replace("train_samples: 600", "train_samples: 2000"));
        File.WriteAllText(temp.File("grid.yaml"), "name: g\nbase: base.yaml\nseeds: [1, 2]\n");
        using var grid = CliProcess.Start("grid", temp.File("grid.yaml"), "--jobs", "2", "--results", temp.File("results"), "-q");
        var children = WaitFor(() => ChildrenOf(grid.Id), c => c.Count == 2 && c.All(HasCheckpoint(temp.File("results"))), TimeSpan.FromSeconds(60));

        grid.Kill(); // SIGKILL: the grid gets no chance to stop them itself
        grid.WaitForExit();
        var stillAlive = WaitFor(() => children.Where(Alive).ToList(), alive => alive.Count == 0, TimeSpan.FromSeconds(20));
        foreach (var pid in stillAlive) Process.GetProcessById(pid).Kill(); // should the test fail, leave no 400-epoch orphans

        Assert.Empty(stillAlive);
        // Orphaned, each child took its trial's lock over from the dead grid before stopping, so no rerun could start it meanwhile.
        var owners = Directory.GetFiles(temp.File("results"), "*.lock.owner", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
        Assert.Equal(2, owners.Count);
        Assert.All(owners, o => Assert.Contains(children, c => o.StartsWith($"pid {c} ", StringComparison.Ordinal)));
        var summaries = Directory.GetFiles(temp.File("results"), "summary.json", SearchOption.AllDirectories)
            .Select(RunSummary.Read).ToList();
        Assert.Equal(2, summaries.Count);
        Assert.All(summaries, s => Assert.Equal(RunStatus.Interrupted, s.Status));
    }

    private static Func<int, bool> HasCheckpoint(string results) => _ =>
        Directory.GetFiles(results, "checkpoint.bin", SearchOption.AllDirectories).Length == 2;

    /// <summary>Live processes started by <paramref name="parent"/> as grid trials (they carry RNNRUNNER_PARENT_PID).</summary>
    private static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "environ")).Split('\0').Contains($"RNNRUNNER_PARENT_PID={parent}")) children.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        return children;
    }

    private static bool Alive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);

    private static T WaitFor<T>(Func<T> probe, Func<T, bool> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var value = probe();
        while (!done(value) && clock.Elapsed < limit)
        {
            Thread.Sleep(200);
            value = probe();
        }
        return value;
    }
}
