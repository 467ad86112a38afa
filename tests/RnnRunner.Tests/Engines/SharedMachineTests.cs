using System.Diagnostics;
using System.Text.Json;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Results;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Engines;

/// <summary>
/// Speed figures that say what they measured: every epoch records its CPU time and how busy the machine was, and
/// comparisons rank speed by CPU seconds, which a CPU-bound neighbour does not change as it changes wall time.
/// </summary>
[Collection(TorchCollection.Name)]
public class SharedMachineTests
{
    /// <summary>A CPU-bound neighbour: a shell busy loop, as another job on the machine would be.</summary>
    private static Process Neighbour() => Process.Start("bash", ["-c", "while :; do :; done"]);

    private static RunSummary Train(TempDirectory temp, string name)
    {
        File.WriteAllText(temp.File($"{name}.yaml"), Support.Specs.BasicRnn.Replace("name: tiny", $"name: {name}")
            .Replace("epochs: 3", "epochs: 4").Replace("train_samples: 600", "train_samples: 1200"));
        // A process of its own: the test host's CPU time includes every test running beside this one.
        var (exit, stdout, stderr) = CliProcess.Run("run", temp.File($"{name}.yaml"), "--results", temp.File("results"), "--json", "-q");
        Assert.True(exit == 0, stderr);
        return RunSummary.Read(Path.Combine(JsonDocument.Parse(stdout).RootElement.GetProperty("results").GetString()!, "summary.json"));
    }

    [Fact]
    public void The_cpu_clock_sees_the_share_of_the_machine_another_process_takes()
    {
        using var neighbour = Neighbour();
        try
        {
            Thread.Sleep(300);
            var clock = CpuClock.Start();
            Thread.Sleep(1000);
            var spent = clock.Elapsed();

            Assert.InRange(spent.WallSeconds, 0.9, 5);
            Assert.True(spent.OthersShare >= 0.9 / Environment.ProcessorCount, $"others' share {spent.OthersShare:P0} beside a busy loop on {Environment.ProcessorCount} cores");
        }
        finally
        {
            neighbour.Kill();
        }
    }

    [Fact]
    public void A_run_beside_a_cpu_bound_neighbour_records_the_load_and_keeps_its_cpu_seconds_per_epoch()
    {
        using var temp = new TempDirectory();
        var quiet = Train(temp, "quiet");
        RunSummary busy;
        using (var neighbour = Neighbour())
        {
            try { busy = Train(temp, "busy"); }
            finally { neighbour.Kill(); }
        }

        Assert.NotNull(quiet.CpuSecondsPerEpoch);
        Assert.NotNull(busy.CpuSecondsPerEpoch);
        Assert.True(busy.OthersCpuShare >= 0.9 / Environment.ProcessorCount - 0.1, $"others' share {busy.OthersCpuShare:P0} beside a busy loop");
        // CPU time is what the epoch cost, whoever else ran: within noise of the quiet run's (wall time is not).
        Assert.InRange(busy.CpuSecondsPerEpoch!.Value / quiet.CpuSecondsPerEpoch!.Value, 0.5, 1.7);
        var metrics = File.ReadAllLines(Directory.GetFiles(temp.File("results/busy"), "metrics.csv", SearchOption.AllDirectories).Single());
        Assert.EndsWith(",lr,seconds,cpu_seconds,others_cpu", metrics[0]);
        Assert.All(metrics.Skip(1), row => Assert.DoesNotContain(",,", row));
    }
}
