using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Comparisons;

/// <summary>One finished (or failed) run to compare: a grid trial, or any run folder.</summary>
/// <param name="Group">The seed group it belongs to (see <see cref="SeedGroups"/>).</param>
/// <param name="Settings">What it was trained with, from its resolved spec.</param>
public sealed record ComparedRun(string Name, string Group, string Folder, RunSummary Summary, RunSettings Settings);

/// <summary>A setting that differs between the compared runs, shown as its own column (<c>batch_size</c>, <c>model_1_dropout</c>).</summary>
public sealed record SettingColumn(string Name, string Path);

/// <summary>One compared run: what it was trained with and how it did, each run on its own metrics.</summary>
/// <param name="Varied">Its value for each of the table's <see cref="Comparison.Varied"/> columns (null where it has none).</param>
/// <param name="Colour">Its seed group's colour, the same in every table and chart of one report (<see cref="SeriesColours"/>).</param>
/// <param name="Speed">What an epoch cost it (<see cref="EpochSpeed"/>): CPU seconds, wall seconds and how busy the machine was.</param>
public sealed record Row(string Trial, string Group, string Folder, string Status, string Engine, string? Optimizer,
    string? LearningRate, string? Units, int Seed, long Parameters, int Epochs, int? BestEpoch, string? Monitor, double? Best,
    string? TestMetric, double? Test, double? TestLoss, EpochSpeed Speed, IReadOnlyList<string?> Varied, int Colour);

/// <summary>
/// What a run's epochs cost. Comparisons rank speed by <see cref="CpuSeconds"/>, which a busy neighbour barely
/// changes; wall seconds measured beside other work measure the neighbours too (docs/CONTENTION.md). Runs made before CPU time was kept fall back to their wall time, and say so.
/// </summary>
/// <param name="OthersShare">The share of the machine's CPU other processes took meanwhile (0 quiet, 1 every core busy).</param>
public sealed record EpochSpeed(double? CpuSeconds, double? WallSeconds, double? OthersShare)
{
    public static EpochSpeed Of(RunSummary summary) => new(summary.CpuSecondsPerEpoch, summary.SecondsPerEpoch, summary.OthersCpuShare);

    /// <summary>The figure speed is compared by: CPU seconds, else (an older run) wall seconds.</summary>
    public double? Compared => CpuSeconds ?? WallSeconds;

    /// <summary>Other processes took more than a quarter of the machine: the wall time says more about them than about the run.</summary>
    public bool Busy => OthersShare > 0.25;

    public static EpochSpeed MeanOf(IEnumerable<EpochSpeed> speeds)
    {
        var all = speeds.ToList();
        return new(Mean(all.Select(s => s.CpuSeconds)), Mean(all.Select(s => s.WallSeconds)), Mean(all.Select(s => s.OthersShare)));
    }

    private static double? Mean(IEnumerable<double?> values) => values.OfType<double>().ToList() is { Count: > 0 } v ? v.Average() : null;
}

/// <summary>Seed repeats of one setting: each metric over the seeds (mean, std, 95 % interval), and the verdict against the top group.</summary>
/// <param name="Verdict">The top group against this one on the ranking metric (<see cref="Comparisons.Verdict"/>); "top" for the top group itself.</param>
public sealed record GroupRow(string Group, int Trials, string? Monitor, SeedSample? Best, string? TestMetric, SeedSample? Test,
    EpochSpeed Speed, int Colour, string? Verdict = null)
{
    public double? BestMean => Best?.Mean;
    public double? BestStd => Best?.Std;
    public double? TestMean => Test?.Mean;
    public double? TestStd => Test?.Std;
}

/// <summary>
/// The comparison of a set of runs, every table and chart of a report is drawn from: one row per run and one per seed
/// group, ranked by one metric — the monitored (validation) one, in its own direction (accuracy up, loss and mae down),
/// ties by name (a study's earliest trial, as its best) — the settings that differ between runs as columns holding their
/// values, one colour per seed group, and each group's verdict against the top one.
/// </summary>
public sealed record Comparison(IReadOnlyList<SettingColumn> Varied, IReadOnlyList<Row> Rows, IReadOnlyList<GroupRow> Groups)
{
    /// <summary>The monitored metric's heading: the one every run watches, or "best" when they differ (each cell then names its own).</summary>
    public string MonitorHeading => Rows.Select(r => r.Monitor).OfType<string>().Distinct().ToList() is [var only] ? only : "best";

    /// <summary>The test column's heading: the one metric every run reports (test_accuracy, test_mae…), or "test" when they differ.</summary>
    public string TestHeading => Rows.Select(r => r.TestMetric).OfType<string>().Distinct().ToList() is [var only] ? only : "test";

    /// <summary>The colour of <paramref name="group"/> in this comparison.</summary>
    public int ColourOf(string group) => Groups.First(g => g.Group == group).Colour;

    /// <param name="folder">The comparison's folder: each row's <see cref="Row.Folder"/> is relative to it.</param>
    public static Comparison Of(IReadOnlyList<ComparedRun> runs, string folder)
    {
        var varied = VariedColumns(runs);
        var rows = BestFirst(runs.Select(r => RowOf(r, varied, folder)), r => r.Monitor, r => r.Best, r => r.Trial).ToList();
        var groups = BestFirst(rows.GroupBy(r => r.Group).Select(GroupOf), g => g.Monitor, g => g.BestMean, g => g.Group)
            .Select((g, i) => g with { Colour = i }).ToList();
        groups = Judged(groups);
        var colours = groups.ToDictionary(g => g.Group, g => g.Colour);
        return new Comparison(varied, rows.Select(r => r with { Colour = colours[r.Group] }).ToList(), groups);
    }

    private static Row RowOf(ComparedRun run, IReadOnlyList<SettingColumn> varied, string folder)
    {
        var s = run.Summary;
        var test = s.HeadlineTest();
        return new Row(run.Name, run.Group, Path.GetRelativePath(folder, run.Folder), s.Status.ToString().ToLowerInvariant(), s.Engine,
            run.Settings.Optimizer, run.Settings.LearningRate, run.Settings.Units, s.Seed, s.Parameters, s.EpochsRun, s.BestEpoch,
            s.Monitor, s.BestValue, test?.Metric, test?.Value, s.TestMetrics?.GetValueOrDefault(MetricKey.Loss(DataSplit.Test).Name),
            EpochSpeed.Of(s), varied.Select(c => run.Settings[c.Path]).ToList(), Colour: 0);
    }

    private static GroupRow GroupOf(IGrouping<string, Row> g) => new(g.Key, g.Count(), g.First().Monitor,
        SeedSample.Of(g.Select(r => r.Best)), g.First().TestMetric, SeedSample.Of(g.Select(r => r.Test)),
        EpochSpeed.MeanOf(g.Select(r => r.Speed)), Colour: 0);

    /// <summary>Each group's verdict against the top group on the ranking metric (only among groups that watch the top's metric).</summary>
    private static List<GroupRow> Judged(List<GroupRow> groups)
    {
        if (groups.FirstOrDefault() is not { Best: { } top } first) return groups;
        return groups.Select((g, i) => i == 0 ? g with { Verdict = "top" }
            : g.Monitor == first.Monitor && g.Best is { } other ? g with { Verdict = Verdict.Of(top, other) } : g).ToList();
    }

    /// <summary>
    /// Runs watching one metric stay together, each block best first by that metric's direction (no value last); ties
    /// go by name (ordinal: a study's t0001 before t0016, as the study itself names its best) — a stated rule, never the
    /// order the runs were read in.
    /// </summary>
    private static IEnumerable<T> BestFirst<T>(IEnumerable<T> items, Func<T, string?> monitor, Func<T, double?> value, Func<T, string> name) =>
        items.OrderBy(i => monitor(i) ?? "\uffff", StringComparer.Ordinal)
            .ThenBy(i => value(i) is not { } v ? double.PositiveInfinity
                : monitor(i) is { } m && MetricKey.Parse(m).HigherIsBetter ? -v : v)
            .ThenBy(name, StringComparer.Ordinal);

    /// <summary>Settings always shown in their own columns, so never repeated as varied ones.</summary>
    private static readonly HashSet<string> Shown = new(StringComparer.Ordinal)
        { "seed", "engine", "training.optimizer.type", "training.optimizer.learning_rate" };

    /// <summary>
    /// Every setting whose value is not the same in all runs, in spec order, named by the shortest tail of its path
    /// that is unique, not a fixed column's name and not a bare index or <c>type</c> (<c>model[1].type</c> → <c>model_1_type</c>):
    /// <c>model[1].layer.dropout</c> → <c>dropout</c>, or
    /// <c>layer_dropout</c>, <c>model_1_layer_dropout</c> when another varied setting is also a dropout.
    /// </summary>
    public static IReadOnlyList<SettingColumn> VariedColumns(IReadOnlyList<ComparedRun> runs)
    {
        var withSettings = runs.Where(r => r.Settings.ByPath.Count > 0).ToList();
        var units = withSettings.SelectMany(r => r.Settings.RecurrentUnitPaths()).ToHashSet(StringComparer.Ordinal);
        var paths = withSettings.SelectMany(r => r.Settings.ByPath.Keys).Distinct(StringComparer.Ordinal)
            .Where(p => !Shown.Contains(p) && !RunSettings.Descriptive.Contains(p) && !units.Contains(p))
            .Where(p => withSettings.Select(r => r.Settings[p]).Distinct().Count() > 1)
            .ToList();
        var tails = paths.ToDictionary(p => p, SnakeCaseSegments);
        return paths.Select(p => new SettingColumn(ShortestUniqueTail(p, tails), p)).ToList();
    }

    private static string ShortestUniqueTail(string path, Dictionary<string, string[]> tails)
    {
        var own = tails[path];
        for (var take = 1; take < own.Length; take++)
        {
            var name = string.Join('_', own[^take..]);
            if (char.IsDigit(name[0]) || name == "type" || ComparisonColumns.FixedNames.Contains(name)) continue;
            if (tails.Where(t => t.Key != path).All(t => t.Value.Length < take || string.Join('_', t.Value[^take..]) != name)) return name;
        }
        return string.Join('_', own);
    }

    /// <summary><c>model[1].layer.dropout</c> → model, 1, layer, dropout.</summary>
    private static string[] SnakeCaseSegments(string path) =>
        path.Replace("[", ".", StringComparison.Ordinal).Replace("]", "", StringComparison.Ordinal).Split('.');
}
