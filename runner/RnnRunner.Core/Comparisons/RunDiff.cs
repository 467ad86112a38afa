using RnnRunner.Core.Results;

namespace RnnRunner.Core.Comparisons;

/// <summary>A value that is not the same on both sides (null where one side has none).</summary>
public sealed record Difference(string What, string? A, string? B);

/// <summary>A metric on both sides: the mean over each side's runs (its seeds), and B − A.</summary>
public sealed record MetricDelta(string Metric, SeedSample? A, SeedSample? B)
{
    public double? Delta => A is not null && B is not null ? B.Mean - A.Mean : null;
}

/// <summary>
/// What differs between two runs — or two sets of seed repeats (a results/&lt;name&gt;/ folder, a grid's group) — and
/// whether it matters: the resolved spec's settings by path, the metrics with their change and a verdict on the
/// ranking metric (Welch's test when both sides have seeds), and everything else that can make numbers differ
/// (engine and kernels, library versions, CPU, data, epochs run, early stopping). Like <c>dvc exp diff</c>, judging.
/// </summary>
/// <param name="Paired">For two single runs that kept predictions for the same test targets: the example-by-example verdict.</param>
public sealed record RunDiff(IReadOnlyList<string> A, IReadOnlyList<string> B, IReadOnlyList<Difference> Settings,
    IReadOnlyList<MetricDelta> Metrics, string? Verdict, IReadOnlyList<Difference> Circumstances, string? Paired = null)
{
    /// <param name="a">A run folder, or a folder holding runs (every run below it is one seed of side A).</param>
    public static RunDiff Of(string a, string b)
    {
        var (runsA, runsB) = (RunsIn(a), RunsIn(b));
        var (summariesA, summariesB) = (runsA.Select(Summary).ToList(), runsB.Select(Summary).ToList());
        var settings = Differences(RunSettings.Read(runsA[0]).ByPath.Where(s => !RunSettings.Descriptive.Contains(s.Key) && s.Key != "seed"),
            RunSettings.Read(runsB[0]).ByPath.Where(s => !RunSettings.Descriptive.Contains(s.Key) && s.Key != "seed"));
        var metrics = MetricsOf(summariesA, summariesB);
        var monitor = summariesA[0].Monitor;
        var ranking = metrics.FirstOrDefault(m => m.Metric == monitor);
        var verdict = ranking is { A: { } sa, B: { } sb } && monitor is not null ? Judge(sa, sb, Specs.MetricKey.Parse(monitor).HigherIsBetter) : null;
        return new RunDiff(runsA, runsB, settings, metrics, verdict, CircumstancesOf(runsA[0], runsB[0], summariesA[0], summariesB[0]),
            runsA.Count == 1 && runsB.Count == 1 ? PairedVerdict(runsA[0], runsB[0]) : null);
    }

    /// <summary>
    /// McNemar's test (classification) or a paired t test (regression) on the two runs' predictions.csv — only when
    /// both kept one and they predict the same targets (same ids, same target values): the same test set.
    /// </summary>
    private static string? PairedVerdict(string a, string b)
    {
        var (fileA, fileB) = (RunFolder.At(a).Predictions, RunFolder.At(b).Predictions);
        if (!File.Exists(fileA) || !File.Exists(fileB)) return null;
        var (pa, pb) = (PredictionsCsv.Read(fileA), PredictionsCsv.Read(fileB));
        if (pa.Count == 0 || pa.Count != pb.Count || pa.Zip(pb).Any(x => x.First.Id != x.Second.Id || x.First.Target != x.Second.Target)) return null;
        var classification = pa[0].Correct is not null;
        var test = classification
            ? PairedTest.McNemar([.. pa.Select(p => p.Correct == true)], [.. pb.Select(p => p.Correct == true)])
            : PairedTest.PairedT([.. pa.Select(p => p.AbsoluteError ?? 0)], [.. pb.Select(p => p.AbsoluteError ?? 0)]);
        return test.Verdict(classification);
    }

    /// <summary>The verdict on the ranking metric, phrased from the better side.</summary>
    private static string Judge(SeedSample a, SeedSample b, bool higherIsBetter)
    {
        var bBetter = higherIsBetter ? b.Mean > a.Mean : b.Mean < a.Mean;
        var (top, other) = bBetter ? (b, a) : (a, b);
        var verdict = Comparisons.Verdict.Of(top, other);
        return a.Mean == b.Mean ? "the same value on both sides" : verdict.Replace("top", bBetter ? "B" : "A", StringComparison.Ordinal);
    }

    private static List<string> RunsIn(string path)
    {
        var runs = File.Exists(RunFolder.At(path).Summary) ? [path] : ResultsTree.RunFolders(path).Order(StringComparer.Ordinal).ToList();
        return runs.Count > 0 ? runs : throw new DirectoryNotFoundException($"{path}: no run folder (summary.json) here or below");
    }

    private static RunSummary Summary(string folder) => RunSummary.Read(RunFolder.At(folder).Summary);

    /// <summary>The monitored metric at the best epoch, then every other best-epoch and test metric either side logged.</summary>
    private static List<MetricDelta> MetricsOf(List<RunSummary> a, List<RunSummary> b)
    {
        static Dictionary<string, double> Values(RunSummary s)
        {
            var values = new Dictionary<string, double>(s.BestMetrics ?? new Dictionary<string, double>());
            foreach (var (k, v) in s.TestMetrics ?? new Dictionary<string, double>()) values[k] = v;
            if (s.Monitor is { } m && s.BestValue is { } best) values[m] = best;
            return values;
        }
        var (va, vb) = (a.Select(Values).ToList(), b.Select(Values).ToList());
        var monitor = a[0].Monitor;
        var names = va.Concat(vb).SelectMany(v => v.Keys).Distinct(StringComparer.Ordinal)
            .OrderBy(n => n == monitor ? 0 : n.StartsWith("val_", StringComparison.Ordinal) ? 1 : n.StartsWith("test_", StringComparison.Ordinal) ? 2 : 3)
            .ThenBy(n => n, StringComparer.Ordinal);
        return [.. names.Select(n => new MetricDelta(n, SeedSample.Of(va.Select(v => v.TryGetValue(n, out var x) ? x : (double?)null)),
            SeedSample.Of(vb.Select(v => v.TryGetValue(n, out var x) ? x : (double?)null))))];
    }

    /// <summary>What else can make two runs' numbers differ, beyond their settings.</summary>
    private static List<Difference> CircumstancesOf(string folderA, string folderB, RunSummary a, RunSummary b)
    {
        var pairs = new List<(string, string?, string?)>
        {
            ("status", a.Status.ToString().ToLowerInvariant(), b.Status.ToString().ToLowerInvariant()),
            ("engine", a.Engine, b.Engine),
            ("engine variant", a.EngineChoice?.Variant.ToString(), b.EngineChoice?.Variant.ToString()),
            ("recurrent kernels", a.RecurrentKernels, b.RecurrentKernels),
            ("cpu", a.Cpu, b.Cpu),
            ("epochs run", Text(a.EpochsRun), Text(b.EpochsRun)),
            ("best epoch", Text(a.BestEpoch), Text(b.BestEpoch)),
            ("stopped early", a.StoppedEarly ? "yes" : "no", b.StoppedEarly ? "yes" : "no"),
            ("data (data-signature.json)", Read(RunFolder.At(folderA).DataSignature), Read(RunFolder.At(folderB).DataSignature)),
            ("git commit", a.GitCommit, b.GitCommit),
        };
        var versions = Differences(a.Versions, b.Versions).Select(d => d with { What = $"versions.{d.What}" });
        return [.. pairs.Where(p => p.Item2 != p.Item3).Select(p => new Difference(p.Item1, p.Item2, p.Item3)), .. versions];
    }

    private static List<Difference> Differences(IEnumerable<KeyValuePair<string, string>> a, IEnumerable<KeyValuePair<string, string>> b)
    {
        var (da, db) = (a.ToDictionary(), b.ToDictionary());
        return [.. da.Keys.Union(db.Keys).Where(k => da.GetValueOrDefault(k) != db.GetValueOrDefault(k))
            .Select(k => new Difference(k, da.GetValueOrDefault(k), db.GetValueOrDefault(k)))];
    }

    private static string? Text(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A small file's text, compared as it is (a data signature names the data's shape, vocabulary and content hash).</summary>
    private static string? Read(string file) => File.Exists(file) ? File.ReadAllText(file).Trim() : null;
}
