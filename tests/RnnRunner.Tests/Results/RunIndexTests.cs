using RnnRunner.Core.Results;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Results;

/// <summary>The results index reads each summary once, and never lists a run from a stale or damaged cache.</summary>
public class RunIndexTests
{
    /// <summary>Writes <c>root/name/001-…/summary.json</c> with <paramref name="best"/> as its best val_accuracy.</summary>
    public static string WriteRun(string root, string name, double best, string id = "001-20260101T000000Z")
    {
        var folder = Path.Combine(root, name, id);
        Directory.CreateDirectory(folder);
        (TestComparisons.Run(name, best, best - 0.01).Summary with { RunId = id }).Write(RunFolder.At(folder).Summary);
        return folder;
    }

    [Fact]
    public void A_cached_run_is_read_again_once_its_summary_changes_and_dropped_once_it_is_deleted()
    {
        using var temp = new TempDirectory();
        var a = WriteRun(temp.Path, "a", 0.5);
        WriteRun(temp.Path, "b", 0.6);
        Assert.Equal(2, RunIndex.Scan(temp.Path).Count);
        Assert.True(File.Exists(temp.File(RunIndex.CacheName)));

        WriteRun(temp.Path, "a", 0.9); // rewritten in place: same folder, new values
        File.SetLastWriteTimeUtc(RunFolder.At(a).Summary, DateTime.UtcNow.AddSeconds(5));
        Assert.Equal(0.9, RunIndex.Scan(temp.Path).Single(r => r.Name == "a").Best);

        Directory.Delete(Path.Combine(temp.Path, "b"), recursive: true);
        Assert.Equal(["a"], RunIndex.Scan(temp.Path).Select(r => r.Name));
    }

    [Fact]
    public void A_damaged_cache_is_rebuilt_from_the_summaries()
    {
        using var temp = new TempDirectory();
        WriteRun(temp.Path, "a", 0.5);
        RunIndex.Scan(temp.Path);
        File.WriteAllText(temp.File(RunIndex.CacheName), "{\"version\": 1, \"runs\": {\"a/001-20260101T000000Z\": 7");

        Assert.Equal(0.5, RunIndex.Scan(temp.Path).Single().Best);
        Assert.Equal(RunIndex.Scan(temp.Path, useCache: false), RunIndex.Scan(temp.Path), new IndexedRunComparer());
    }

    [Fact]
    public void The_cache_is_used_while_the_summaries_are_unchanged()
    {
        using var temp = new TempDirectory();
        var a = WriteRun(temp.Path, "a", 0.5);
        RunIndex.Scan(temp.Path);
        // Same size and time, different bytes: only a cache read would still say 0.5 — proof that it was used.
        var summary = RunFolder.At(a).Summary;
        var stamp = File.GetLastWriteTimeUtc(summary);
        File.WriteAllText(summary, File.ReadAllText(summary).Replace("\"best_value\": 0.5", "\"best_value\": 0.7"));
        File.SetLastWriteTimeUtc(summary, stamp);

        Assert.Equal(0.5, RunIndex.Scan(temp.Path).Single().Best);
    }

    private sealed class IndexedRunComparer : IEqualityComparer<IndexedRun>
    {
        public bool Equals(IndexedRun? x, IndexedRun? y) => x is not null && y is not null
            && x with { Values = y.Values, Curve = y.Curve } == y && x.Values.OrderBy(v => v.Key).SequenceEqual(y.Values.OrderBy(v => v.Key))
            && x.Curve.SequenceEqual(y.Curve);

        public int GetHashCode(IndexedRun obj) => obj.Folder.GetHashCode(StringComparison.Ordinal);
    }

    private static string WriteRun(string root, string folder, Func<RunSummary, RunSummary> change)
    {
        var path = Path.Combine(root, folder);
        Directory.CreateDirectory(path);
        change(TestComparisons.Run(folder.Split('/')[0], 0.5, 0.5).Summary).Write(RunFolder.At(path).Summary);
        return path;
    }

    private static DateTime Day(int day) => new(2026, 1, day, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void The_best_run_of_each_experiment_is_chosen_by_its_monitor_among_its_runs_and_a_grid_s_trials_ties_going_to_the_newest()
    {
        using var temp = new TempDirectory();
        WriteRun(temp.Path, "lstm/001", s => s with { BestValue = 0.80, StartedUtc = Day(1) });
        WriteRun(temp.Path, "lstm/002", s => s with { BestValue = 0.90, StartedUtc = Day(2) });
        WriteRun(temp.Path, "lstm/003", s => s with { BestValue = 0.90, StartedUtc = Day(3) }); // ties 002: the newer wins
        WriteRun(temp.Path, "lstm/004", s => s with { BestValue = 0.95, StartedUtc = Day(4), Status = RunStatus.Failed });
        WriteRun(temp.Path, "grid/001/trials/t0001", s => s with { Monitor = "val_loss", BestValue = 0.30, StartedUtc = Day(1) });
        WriteRun(temp.Path, "grid/001/trials/t0002", s => s with { Monitor = "val_loss", BestValue = 0.20, StartedUtc = Day(2) });
        // An older run of the grid watched another metric: its value is not comparable with the others'.
        WriteRun(temp.Path, "grid/000/trials/t0001", s => s with { Monitor = "val_accuracy", BestValue = 0.99, StartedUtc = Day(1) });

        var best = RunIndex.BestPerExperiment(RunIndex.Scan(temp.Path));

        Assert.Equal(["grid/001/trials/t0002", "lstm/004"], best.Select(r => r.Folder.Replace(Path.DirectorySeparatorChar, '/')));
        Assert.Equal(["grid/001/trials/t0002", "lstm/003"], RunIndex.BestPerExperiment(RunIndex.Scan(temp.Path).Where(r => r.Status == "completed"))
            .Select(r => r.Folder.Replace(Path.DirectorySeparatorChar, '/')));
    }

    [Fact]
    public void The_index_page_colours_rows_by_status_and_draws_each_run_s_monitored_curve_with_its_best_epoch()
    {
        using var temp = new TempDirectory();
        var done = WriteRun(temp.Path, "lstm/001", s => s with { StartedUtc = Day(2) });
        WriteRun(temp.Path, "lstm/002", s => s with { Status = RunStatus.Failed, StartedUtc = Day(1) });
        Core.Training.EpochMetrics Epoch(int n, double accuracy) => new(n, new Dictionary<string, double> { ["loss"] = 1, ["val_accuracy"] = accuracy }, 0.001, 1);
        MetricsCsv.Write(RunFolder.At(done).Metrics, ["loss", "val_accuracy"], [Epoch(1, 0.6), Epoch(2, 0.9), Epoch(3, 0.8)]);

        var html = File.ReadAllText(ResultsIndexPage.Write(temp.Path));

        Assert.Contains("<tr class=\"status-failed\">", html);
        Assert.Contains("<tr class=\"status-completed\">", html);
        var spark = System.Text.RegularExpressions.Regex.Match(html, "<svg class=\"spark\".*?</svg>").Value;
        Assert.Contains("val_accuracy per epoch: 0.6 at epoch 1, 0.8 at epoch 3; best 0.9 at epoch 2", spark);
        Assert.Equal(3, spark.Split("points=\"")[1].Split('"')[0].Split(' ').Length);
        Assert.Contains("<circle cx=\"60.0\" cy=\"3.0\"", spark); // epoch 2 of 3: the middle, at the top
    }
}
