using System.Globalization;
using RnnRunner.Core.Reports;

namespace RnnRunner.Core.Comparisons;

/// <summary>
/// The columns of every comparison table, defined once: comparison.csv, comparison.md and report.html show the
/// same columns in the same order. Engine, optimizer, learning rate, units, seed, parameters, epochs, best epoch,
/// s/epoch and status are always there; each varied setting adds one column holding its value.
/// </summary>
public static class ComparisonColumns
{
    /// <summary>The names a varied setting's column may not take.</summary>
    public static readonly IReadOnlySet<string> FixedNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "trial", "group", "status", "engine", "optimizer", "learning_rate", "units", "seed", "parameters", "epochs",
        "best_epoch", "monitor", "best", "test_metric", "test", "test_loss", "seconds_per_epoch", "folder", "verdict",
    };

    /// <summary>comparison.csv's columns: raw values, the metric names in columns of their own.</summary>
    public static IReadOnlyList<Column<Row>> Csv(Comparison c) =>
    [
        .. Settings(c),
        Int("parameters", "parameters", r => r.Parameters),
        Int("epochs", "epochs", r => r.Epochs),
        Int("best_epoch", "best epoch", r => r.BestEpoch),
        new("monitor", "monitor", r => r.Monitor ?? ""),
        Raw("best", "best", r => r.Best),
        new("test_metric", "test metric", r => r.TestMetric ?? ""),
        Raw("test", "test", r => r.Test),
        Raw("test_loss", "test loss", r => r.TestLoss),
        Raw("cpu_seconds_per_epoch", "CPU s / epoch", r => r.Speed.CpuSeconds),
        Raw("seconds_per_epoch", "wall s / epoch", r => r.Speed.WallSeconds),
        Raw("others_cpu", "others' CPU share", r => r.Speed.OthersShare),
        new("folder", "folder", r => r.Folder),
    ];

    /// <summary>The rows as JSON objects with comparison.csv's keys: numbers as numbers, missing values as null.</summary>
    public static IReadOnlyList<Dictionary<string, object?>> Json(Comparison c)
    {
        var columns = Csv(c);
        return c.Rows.Select(r => columns.ToDictionary(col => col.Name,
            col => col.Number is null ? (object?)col.Text(r) : col.Number(r) is { } n ? n : col.Text(r) is { Length: > 0 } t ? t : null)).ToList();
    }

    /// <summary>The trial table of comparison.md and report.html: the metric names head their columns.</summary>
    public static IReadOnlyList<Column<Row>> Trials(Comparison c) =>
    [
        .. Settings(c, readable: true),
        Int("parameters", "parameters", r => r.Parameters),
        Int("epochs", "epochs", r => r.Epochs),
        Int("best_epoch", "best epoch", r => r.BestEpoch),
        new("best", c.MonitorHeading, r => Named(c.MonitorHeading, "best", r.Monitor, Fixed(r.Best)), r => r.Best),
        new("test", c.TestHeading, r => Named(c.TestHeading, "test", r.TestMetric, Fixed(r.Test)), r => r.Test),
        new("cpu_seconds_per_epoch", "CPU s / epoch", r => Speed(r.Speed), r => r.Speed.Compared),
        new("seconds_per_epoch", "wall s / epoch", r => Wall(r.Speed), r => r.Speed.WallSeconds),
    ];

    /// <summary>The seed-group table: each metric's mean with its 95 % interval over the group's seeds, and the verdict against the top group.</summary>
    public static IReadOnlyList<Column<GroupRow>> Groups(Comparison c) =>
    [
        new("group", "group", g => g.Group),
        new("trials", "trials", g => g.Trials.ToString(CultureInfo.InvariantCulture), g => g.Trials),
        new("best", c.MonitorHeading, g => Named(c.MonitorHeading, "best", g.Monitor, g.Best?.Describe() ?? "–"), g => g.BestMean),
        new("verdict", "against the top group", g => g.Verdict ?? "–"),
        new("test", c.TestHeading, g => Named(c.TestHeading, "test", g.TestMetric, g.Test?.Describe() ?? "–"), g => g.TestMean),
        new("cpu_seconds_per_epoch", "CPU s / epoch", g => Speed(g.Speed), g => g.Speed.Compared),
    ];

    /// <summary>The groups as JSON objects: each metric's mean, std, interval half-width and seeds, and the verdict.</summary>
    public static IReadOnlyList<Dictionary<string, object?>> GroupsJson(Comparison c) =>
    [
        .. c.Groups.Select(g => new Dictionary<string, object?>
        {
            ["group"] = g.Group, ["trials"] = g.Trials, ["monitor"] = g.Monitor, ["best"] = SampleJson(g.Best),
            ["verdict"] = g.Verdict, ["test_metric"] = g.TestMetric, ["test"] = SampleJson(g.Test), ["cpu_seconds_per_epoch"] = g.Speed.Compared,
        }),
    ];

    private static Dictionary<string, object?>? SampleJson(SeedSample? s) => s is null ? null : new()
    {
        ["mean"] = s.Mean, ["std"] = s.Std, ["ci95_half_width"] = s.HalfWidth, ["n"] = s.N,
    };

    /// <summary>The one paragraph every report states once: what ranks the runs, how ties break, what the groups' numbers and verdicts mean.</summary>
    public static string HowToRead(Comparison c) =>
        $"Ranked by {c.MonitorHeading} at each run's best epoch (the validation metric the runs were trained to watch), best first; "
        + "ties go by name (a study's earliest trial first, as its best). Every table and chart uses this order. Runs whose settings differ only "
        + "in the seed form a group: its mean with a 95 % confidence interval (Student's t over the seeds, n seeds), and its verdict "
        + $"against the top group by Welch's t test over the seeds at the {Verdict.Level:0.##} level — \"within seed noise\" means the "
        + "seeds cannot tell the two apart, so more seeds are needed before choosing; with one seed nothing can be told.";

    /// <summary>CPU seconds per epoch; an older run's wall seconds, marked as such.</summary>
    private static string Speed(EpochSpeed speed) =>
        speed.CpuSeconds is { } cpu ? Fixed(cpu, "F2") : speed.WallSeconds is { } wall ? $"{Fixed(wall, "F2")} (wall)" : "–";

    /// <summary>Wall seconds per epoch, marked when other processes kept the machine busy.</summary>
    private static string Wall(EpochSpeed speed) =>
        speed.WallSeconds is not { } wall ? "–" : speed.Busy ? $"{Fixed(wall, "F2")} (busy: others {speed.OthersShare:P0})" : Fixed(wall, "F2");

    /// <param name="readable">For people (the trial table): a sampled real number to four significant digits; comparison.csv keeps every digit.</param>
    private static IEnumerable<Column<Row>> Settings(Comparison c, bool readable = false) =>
    [
        new("trial", "trial", r => r.Trial),
        new("group", "group", r => r.Group),
        new("status", "status", r => r.Status),
        new("engine", "engine", r => r.Engine),
        new("optimizer", "optimizer", r => r.Optimizer ?? ""),
        new("learning_rate", "learning rate", r => readable ? Readable(r.LearningRate) : r.LearningRate ?? "", r => Number(r.LearningRate)),
        new("units", "units", r => r.Units ?? ""),
        Int("seed", "seed", r => r.Seed),
        .. c.Varied.Select((column, i) => new Column<Row>(column.Name, column.Name, r => readable ? Readable(r.Varied[i]) : r.Varied[i] ?? "", r => Number(r.Varied[i]))),
    ];

    private static Column<Row> Int(string name, string heading, Func<Row, long?> value) =>
        new(name, heading, r => value(r)?.ToString(CultureInfo.InvariantCulture) ?? "", r => value(r));

    /// <summary>A value as written (round-trip), for scripts.</summary>
    private static Column<Row> Raw(string name, string heading, Func<Row, double?> value) =>
        new(name, heading, r => value(r)?.ToString("R", CultureInfo.InvariantCulture) ?? "", value);

    /// <summary>A value under a mixed "best"/"test" heading carries its metric's name.</summary>
    private static string Named(string heading, string mixed, string? metric, string value) =>
        heading == mixed && metric is not null ? $"{metric} {value}" : value;

    public static string Fixed(double? v, string format = "F4") => v?.ToString(format, CultureInfo.InvariantCulture) ?? "–";

    /// <summary>
    /// A setting as people read it: a real number with many digits (a sampled learning rate) to four significant ones,
    /// anything else as written. Reports, logs and trial tables use it; specs and CSV files keep every digit.
    /// </summary>
    public static string Readable(string? text) =>
        text is { Length: > 8 } && Number(text) is { } v && Math.Floor(v) != v ? v.ToString("G4", CultureInfo.InvariantCulture) : text ?? "";

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
