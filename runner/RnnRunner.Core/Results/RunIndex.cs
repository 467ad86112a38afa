using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Results;

/// <summary>One line of the results index: a run or a grid trial, as <c>rnnrunner runs</c> lists it.</summary>
/// <param name="Folder">The run folder, relative to the results root.</param>
public sealed record IndexedRun(string Name, string Folder, string Status, string Engine, int Epochs, string? Monitor,
    double? Best, string? TestMetric, double? Test, double? SecondsPerEpoch, DateTime Started)
{
    /// <summary>A logged value of the run by name: its best epoch's (val_accuracy…) or its test value (test_mae…).</summary>
    public IReadOnlyDictionary<string, double> Values { get; init; } = new Dictionary<string, double>();
}

/// <summary>
/// Every run under a results folder — plain runs and grid trials alike (any folder with a summary.json) — read
/// from their summaries, filtered and sorted. A damaged summary leaves its run out and is reported, never fatal.
/// </summary>
public static class RunIndex
{
    public static IReadOnlyList<IndexedRun> Scan(string root, ICollection<string>? problems = null)
    {
        var runs = new List<IndexedRun>();
        if (!Directory.Exists(root)) return runs;
        foreach (var file in Directory.EnumerateFiles(root, "summary.json", SearchOption.AllDirectories))
        {
            var folder = Path.GetDirectoryName(file)!;
            if (Path.GetFileName(folder).StartsWith('.')) continue;
            var summary = RunSummary.TryRead(file, out var damage);
            if (summary is null)
            {
                problems?.Add(damage ?? file);
                continue;
            }
            var test = summary.HeadlineTest();
            var values = new Dictionary<string, double>(summary.BestMetrics ?? new Dictionary<string, double>());
            foreach (var (key, value) in summary.TestMetrics ?? new Dictionary<string, double>()) values[key] = value;
            runs.Add(new IndexedRun(summary.Name,
                Path.GetRelativePath(root, folder), summary.Status.ToString().ToLowerInvariant(), summary.Engine, summary.EpochsRun,
                summary.Monitor, summary.BestValue, test?.Metric, test?.Value, summary.SecondsPerEpoch, summary.StartedUtc) { Values = values });
        }
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
        if (string.IsNullOrEmpty(by)) return runs.OrderByDescending(r => r.Started).ToList();
        var higher = MetricKey.Parse(by).HigherIsBetter;
        var with = runs.Where(r => r.Values.ContainsKey(by));
        var sorted = higher ? with.OrderByDescending(r => r.Values[by]) : with.OrderBy(r => r.Values[by]);
        return sorted.Concat(runs.Where(r => !r.Values.ContainsKey(by))).ToList();
    }
}
