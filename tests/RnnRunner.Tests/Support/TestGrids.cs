using RnnRunner.Core.Training;

namespace RnnRunner.Tests.Support;

/// <summary>A finished two-trial grid (the tiny spec, one epoch, seeds 1 and 2) to damage or contend for.</summary>
public sealed record TestGrid(string File, string Results, string Trials)
{
    public static TestGrid RunIn(TempDirectory temp)
    {
        System.IO.File.WriteAllText(temp.File("base.yaml"), Specs.BasicRnn.Replace("epochs: 3", "epochs: 1"));
        System.IO.File.WriteAllText(temp.File("grid.yaml"), "name: g\nbase: base.yaml\nseeds: [1, 2]\n");
        var results = temp.File("results");
        var (exit, _, stderr) = CliProcess.Run("grid", temp.File("grid.yaml"), "--results", results, "-q");
        Assert.True(exit == 0, stderr);
        var folder = Directory.GetDirectories(Path.Combine(results, "g")).Single(d => System.IO.File.Exists(Path.Combine(d, "grid.json")));
        return new TestGrid(temp.File("grid.yaml"), results, Path.Combine(folder, "trials"));
    }
}

/// <summary>Stops a run at the first batch after <paramref name="epoch"/> completes, as Ctrl-C would.</summary>
public sealed class InterruptAfter(int epoch, CancellationTokenSource source) : ITrainingObserver
{
    public void EpochCompleted(EpochMetrics metrics, bool isBest)
    {
        if (metrics.Epoch == epoch) source.Cancel();
    }
}
