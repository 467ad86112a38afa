using System.Diagnostics;
using System.Globalization;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Storage;
using Serilog;

namespace RnnRunner.Bench;

/// <summary>
/// How fast the results index lists a large results folder: synthetic trees of plain runs and grid trials (real
/// summaries, metrics and plot files), timed for a cold scan (no cache: every summary read and verified), a warm
/// scan (the cache valid), writing results/index.html, and <c>rnnrunner runs</c> end to end as a user types it
/// (a new process each time, start-up included). Medians of several repetitions. Writes docs/RESULTS-INDEX.md.
/// </summary>
public sealed class ResultsIndexBenchmark(ChildRnnrunner rnnrunner, string docsFolder)
{
    private const int Repetitions = 5;
    private static readonly int[] Sizes = [300, 1000];

    private sealed record Timing(int Runs, double ColdMs, double WarmMs, double PageMs, double CommandMs);

    public int Run(string commandLine)
    {
        var started = DateTime.UtcNow;
        var timings = Sizes.Select(Time).ToList();
        var report = Path.Combine(docsFolder, "RESULTS-INDEX.md");
        AtomicFile.WriteAllText(report, Report(commandLine, started, timings));
        Log.Information("Wrote {Report}", report);
        return BenchExit.Success;
    }

    private Timing Time(int runs)
    {
        var root = Directory.CreateTempSubdirectory("rnnrunner-index-bench-").FullName;
        try
        {
            Populate(root, runs);
            var cold = Median(() => { File.Delete(Path.Combine(root, RunIndex.CacheName)); Check(RunIndex.Scan(root), runs); });
            var warm = Median(() => Check(RunIndex.Scan(root), runs));
            var page = Median(() => ResultsIndexPage.Write(root));
            var command = Median(() => RunsCommand(root));
            Log.Information("{Runs} runs: cold {Cold:F0} ms, warm {Warm:F0} ms, index.html {Page:F0} ms, `runs` {Command:F0} ms", runs, cold, warm, page, command);
            return new Timing(runs, cold, warm, page, command);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Two thirds plain runs (results/&lt;name&gt;/&lt;NNN&gt;/), one third trials of grids of ten.</summary>
    private static void Populate(string root, int runs)
    {
        var plain = runs * 2 / 3;
        for (var i = 0; i < runs; i++)
        {
            var folder = i < plain
                ? Path.Combine(root, $"model-{i % 20}", $"{i / 20 + 1:D3}-20261202T{i % 24:D2}0000Z")
                : Path.Combine(root, $"grid-{(i - plain) / 10}", "001-20261202T000000Z", "trials", $"trial-{(i - plain) % 10}");
            Directory.CreateDirectory(Path.Combine(folder, "plots"));
            Directory.CreateDirectory(Path.Combine(folder, "tensorboard", "train"));
            var summary = Summary(i);
            summary.Write(RunFolder.At(folder).Summary);
            File.WriteAllText(RunFolder.At(folder).Metrics, "epoch,loss,val_loss\n1,0.69,0.68\n2,0.5,0.52\n");
            foreach (var plot in new[] { "loss.png", "accuracy.png" }) File.WriteAllBytes(Path.Combine(folder, "plots", plot), new byte[4096]);
        }
    }

    private static RunSummary Summary(int i)
    {
        var accuracy = 0.5 + (i * 37 % 500) / 1000.0;
        return new RunSummary
        {
            Name = $"model-{i % 20}", RunId = $"{i:D3}", Status = i % 17 == 0 ? RunStatus.Failed : RunStatus.Completed,
            Engine = i % 2 == 0 ? "torch" : "scratch", Device = "cpu", Seed = i, StartedUtc = new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i),
            Parameters = 10_000, ParametersKerasConvention = 10_000, EpochsRun = 10, Monitor = "val_accuracy", BestEpoch = 7, BestValue = accuracy,
            SecondsPerEpoch = 3.5, BestMetrics = new Dictionary<string, double> { ["val_accuracy"] = accuracy, ["val_loss"] = 1 - accuracy },
            TestMetrics = new Dictionary<string, double> { ["test_accuracy"] = accuracy - 0.01, ["test_loss"] = 1.01 - accuracy },
            Versions = new Dictionary<string, string> { ["rnnrunner"] = "bench" },
        };
    }

    private static void Check(IReadOnlyList<IndexedRun> listed, int runs)
    {
        if (listed.Count != runs) throw new InvalidOperationException($"listed {listed.Count} runs of {runs}");
    }

    private void RunsCommand(string root)
    {
        var outcome = rnnrunner.Run(["runs", root, "--sort", "val_accuracy"]);
        if (outcome.ExitCode != 0) throw new InvalidOperationException($"rnnrunner runs failed: {outcome.Errors}");
    }

    private static double Median(Action action)
    {
        action(); // warm-up: JIT, file cache
        var times = Enumerable.Range(0, Repetitions).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            action();
            return watch.Elapsed.TotalMilliseconds;
        }).Order().ToList();
        return times[times.Count / 2];
    }

    private static string Report(string command, DateTime started, IReadOnlyList<Timing> timings)
    {
        var sb = BenchmarkReport.Start("Listing hundreds of runs: the results index", started, command);
        sb.AppendLine("`rnnrunner runs` and results/index.html list every run and grid trial under a results folder. Here: synthetic");
        sb.AppendLine("results trees (two thirds plain runs, one third trials of grids of ten; each with a real, checksummed summary.json,");
        sb.AppendLine("metrics.csv, plots and a tensorboard folder), in a temporary folder on this machine's disk (warm page cache).");
        sb.AppendLine($"Median of {Repetitions} repetitions after one warm-up. *Cold*: no cache, every summary read and its checksum");
        sb.AppendLine("verified, then the cache written; *warm*: the cache (`.index.json`) valid, each summary only `stat`ed;");
        sb.AppendLine("*`runs` command*: a new `rnnrunner runs <folder> --sort val_accuracy` process, .NET start-up included.");
        sb.AppendLine();
        sb.AppendLine("| runs | cold scan (ms) | warm scan (ms) | write index.html (ms) | `runs` command (ms) |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var t in timings)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {t.Runs} | {t.ColdMs:F0} | {t.WarmMs:F0} | {t.PageMs:F0} | {t.CommandMs:F0} |"));
        sb.AppendLine();
        sb.AppendLine("Target (issue #15): hundreds of runs list in under a second. Most of the `runs` command's time is the .NET");
        sb.AppendLine("process starting; the scan itself is the smaller part even cold.");
        return sb.ToString();
    }
}
