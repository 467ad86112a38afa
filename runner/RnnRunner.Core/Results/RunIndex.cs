using System.Text.Json;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Storage;

namespace RnnRunner.Core.Results;

/// <summary>One line of the results index: a run or a grid trial, as <c>rnnrunner runs</c> lists it.</summary>
/// <param name="Folder">The run folder, relative to the results root.</param>
/// <param name="SecondsPerEpoch">CPU seconds per epoch (wall seconds for runs made before CPU time was kept): what speed is compared by.</param>
public sealed record IndexedRun(string Name, string Folder, string Status, string Engine, int Epochs, string? Monitor,
    double? Best, string? TestMetric, double? Test, double? SecondsPerEpoch, DateTime Started)
{
    /// <summary>A logged value of the run by name: its best epoch's (val_accuracy…) or its test value (test_mae…).</summary>
    public IReadOnlyDictionary<string, double> Values { get; init; } = new Dictionary<string, double>();

    /// <summary>The monitored metric after each epoch (from metrics.csv), for the index's sparkline; empty when unknown.</summary>
    public IReadOnlyList<double> Curve { get; init; } = [];

    /// <summary>Whether the monitored metric is better higher (an accuracy) — how runs of one name are ranked.</summary>
    public bool HigherIsBetter => Monitor is not null && MetricKey.Parse(Monitor).HigherIsBetter;

    /// <summary>The run with the monitored curve read from its metrics.csv (left empty when the file is missing or damaged).</summary>
    public static IndexedRun Of(RunSummary summary, string relativeFolder, RunFolder folder)
    {
        var run = Of(summary, relativeFolder);
        if (summary.Monitor is not { } monitor || !File.Exists(folder.Metrics)) return run;
        try
        {
            return run with { Curve = [.. MetricsCsv.Read(folder.Metrics).Where(e => e.Values.ContainsKey(monitor)).Select(e => e.Values[monitor])] };
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidDataException or CsvHelper.CsvHelperException or UnauthorizedAccessException)
        {
            return run; // the line still lists; only its sparkline is missing
        }
    }

    public static IndexedRun Of(RunSummary summary, string relativeFolder)
    {
        var test = summary.HeadlineTest();
        var values = new Dictionary<string, double>(summary.BestMetrics ?? new Dictionary<string, double>());
        foreach (var (key, value) in summary.TestMetrics ?? new Dictionary<string, double>()) values[key] = value;
        return new IndexedRun(summary.Name, relativeFolder, summary.Status.ToString().ToLowerInvariant(), summary.Engine, summary.EpochsRun,
            summary.Monitor, summary.BestValue, test?.Metric, test?.Value, summary.CpuSecondsPerEpoch ?? summary.SecondsPerEpoch, summary.StartedUtc)
        { Values = values };
    }
}

/// <summary>
/// Every run under a results folder — plain runs and grid trials alike (any folder with a summary.json) — filtered
/// and sorted. Summaries are read once and cached in <c>.index.json</c> at the results root; a cached line is used
/// only while its summary's size and modification time are unchanged, so an edited, replaced or deleted run is
/// never listed stale, and a damaged or missing cache is simply rebuilt. A damaged summary leaves its run out and
/// is reported, never fatal.
/// </summary>
public static class RunIndex
{
    public const string CacheName = ".index.json";

    public static IReadOnlyList<IndexedRun> Scan(string root, ICollection<string>? problems = null, bool useCache = true, CancellationToken cancellation = default)
    {
        if (!Directory.Exists(root)) return [];
        var cache = useCache ? ReadCache(root) : new Dictionary<string, CachedRun>();
        var fresh = new Dictionary<string, CachedRun>(StringComparer.Ordinal);
        var runs = new List<IndexedRun>();
        foreach (var folder in ResultsTree.RunFolders(root, cancellation))
        {
            var file = new FileInfo(RunFolder.At(folder).Summary);
            var relative = Path.GetRelativePath(root, folder);
            if (cache.TryGetValue(relative, out var cached) && cached.Length == file.Length && cached.Modified == file.LastWriteTimeUtc.Ticks)
            {
                fresh[relative] = cached;
                runs.Add(cached.Run);
                continue;
            }
            var summary = RunSummary.TryRead(file.FullName, out var damage);
            if (summary is null)
            {
                problems?.Add(damage ?? file.FullName);
                continue;
            }
            var run = IndexedRun.Of(summary, relative, RunFolder.At(folder));
            fresh[relative] = new CachedRun(file.Length, file.LastWriteTimeUtc.Ticks, run);
            runs.Add(run);
        }
        if (useCache && !SameEntries(cache, fresh)) WriteCache(root, fresh);
        return runs;
    }

    /// <summary>Keeps the runs matching every <c>key=value</c> of <paramref name="filter"/> (name, status, engine; name matches a part).</summary>
    public static IEnumerable<IndexedRun> Filter(IEnumerable<IndexedRun> runs, string? filter)
    {
        foreach (var term in (filter ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (key, value) = term.Split('=', 2) is [var k, var v] ? (k.Trim(), v.Trim())
                : throw new ArgumentException($"--filter {term}: expected key=value (name, status or engine)");
            Func<IndexedRun, bool> keep = key switch
            {
                "name" => r => r.Name.Contains(value, StringComparison.OrdinalIgnoreCase) || r.Folder.Contains(value, StringComparison.OrdinalIgnoreCase),
                "status" => r => r.Status == value.ToLowerInvariant(),
                "engine" => r => r.Engine == value.ToLowerInvariant(),
                _ => throw new ArgumentException($"--filter {term}: unknown key '{key}' (name, status or engine)"),
            };
            runs = runs.Where(keep);
        }
        return runs;
    }

    /// <summary>Newest first, or by a logged value (val_accuracy, test_mae…) best first, runs without it last.</summary>
    public static IReadOnlyList<IndexedRun> Sort(IEnumerable<IndexedRun> runs, string? by)
    {
        if (string.IsNullOrEmpty(by)) return runs.OrderByDescending(r => r.Started).ThenBy(r => r.Folder, StringComparer.Ordinal).ToList();
        var higher = MetricKey.Parse(by).HigherIsBetter;
        var with = runs.Where(r => r.Values.ContainsKey(by));
        var sorted = higher ? with.OrderByDescending(r => r.Values[by]) : with.OrderBy(r => r.Values[by]);
        return sorted.Concat(runs.Where(r => !r.Values.ContainsKey(by))).ToList();
    }

    /// <summary>
    /// The best run of each experiment — the results folder its spec, grid or study name made (the first part of its
    /// folder), so a grid's or study's trials compete with each other — by the monitored metric the experiment's newest
    /// run watches (a run that watched another is not comparable, and left out), ties to the newest. Ordered by name.
    /// </summary>
    public static IReadOnlyList<IndexedRun> BestPerExperiment(IEnumerable<IndexedRun> runs) =>
        [.. runs.Where(r => r.Best is not null).GroupBy(ExperimentOf, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Where(r => r.Monitor == g.MaxBy(n => n.Started)!.Monitor)
                .OrderBy(r => r.HigherIsBetter ? -r.Best!.Value : r.Best!.Value).ThenByDescending(r => r.Started).First())];

    /// <summary>The experiment a run belongs to: the first part of its folder under the results root.</summary>
    public static string ExperimentOf(IndexedRun run) => run.Folder.Split(['/', Path.DirectorySeparatorChar])[0];

    /// <summary>A run as cached, with the size and modification time (UTC ticks) of the summary it was read from.</summary>
    private sealed record CachedRun(long Length, long Modified, IndexedRun Run);

    private sealed record CacheFile(int Version, Dictionary<string, CachedRun> Runs);

    private const int CacheVersion = 3; // 2: the speed column is CPU seconds per epoch; 3: each run's monitored curve

    private static Dictionary<string, CachedRun> ReadCache(string root)
    {
        try
        {
            var cache = JsonSerializer.Deserialize<CacheFile>(File.ReadAllText(Path.Combine(root, CacheName)), RunSummary.JsonOptions);
            return cache?.Version == CacheVersion && cache.Runs is not null ? cache.Runs : [];
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return []; // missing or damaged: rebuilt from the summaries
        }
    }

    private static void WriteCache(string root, Dictionary<string, CachedRun> runs)
    {
        try
        {
            AtomicFile.WriteAllText(Path.Combine(root, CacheName), JsonSerializer.Serialize(new CacheFile(CacheVersion, runs), RunSummary.JsonOptions));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only results folder still lists; it just reads every summary each time.
        }
    }

    private static bool SameEntries(Dictionary<string, CachedRun> a, Dictionary<string, CachedRun> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var other) && other.Length == e.Value.Length && other.Modified == e.Value.Modified);
}
