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
            && x with { Values = y.Values } == y && x.Values.OrderBy(v => v.Key).SequenceEqual(y.Values.OrderBy(v => v.Key));

        public int GetHashCode(IndexedRun obj) => obj.Folder.GetHashCode(StringComparison.Ordinal);
    }
}
