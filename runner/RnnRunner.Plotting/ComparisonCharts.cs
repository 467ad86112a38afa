using RnnRunner.Core.Comparisons;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Training;
using ScottPlot;

namespace RnnRunner.Plotting;

/// <summary>
/// A comparison's charts, PNG and SVG, each with a heading and a caption for report.html: every trial's validation
/// curve (best epoch marked; curves of unequal length from early stopping simply end), seed groups as mean lines
/// with ±std bands, the test metric per group as dots with 95 % intervals, and the test metric against seconds per epoch.
/// Every seed group keeps its colour (<see cref="SeriesColours"/>) in every chart; legends sit below the plot.
/// </summary>
public sealed class ComparisonCharts : IComparisonChartWriter
{
    public const int Width = 900, Height = 550;

    public IReadOnlyList<ComparisonChart> Write(string folder, IReadOnlyList<TrialCurves> trials, string monitor)
    {
        Directory.CreateDirectory(folder);
        var withHistory = trials.Where(t => t.History.Count > 0 && t.History[0].Values.ContainsKey(monitor)).ToList();
        var written = new List<ComparisonChart>();
        var range = MetricRange.Of(MetricKey.Parse(monitor));
        var palette = new Palette(trials.Count == 0 ? 0 : trials.Max(t => t.Colour) + 1);
        if (withHistory.Count > 0)
        {
            written.Add(Save(Curves(withHistory, monitor, palette), folder, $"compare-{monitor}", Height, $"{monitor} per epoch, every trial",
                $"Each trial's {monitor} after every epoch; ● marks its best epoch. {SeriesColours.Meaning(palette.Groups)}; marker shape: seed. "
                + "A curve ends where early stopping ended its run."));
            if (withHistory.GroupBy(t => t.Group).Any(g => g.Count() > 1))
                written.Add(Save(SeedBands(withHistory, monitor, range, palette), folder, $"compare-{monitor}-seed-mean", Height,
                    $"{monitor} per epoch, mean over seeds",
                    $"Each seed group's mean {monitor} with a band of ±1 sample standard deviation, clipped to the values {monitor} can take "
                    + $"({range.Describe()}). Where early stopping leaves a group fewer seeds, its legend entry says from which epoch."));
        }
        // The test metric the trials are judged by (accuracy, else mae, else loss); charts are named after it.
        if (trials.Select(t => t.TestMetric).FirstOrDefault(m => m is not null) is not { } testName) return written;
        var test = MetricKey.Parse(testName);
        var groups = Groups(trials, test);
        if (groups.Count == 0) return written;
        var better = test.HigherIsBetter ? "higher is better" : "lower is better";
        written.Add(Save(TestBars(groups, test, palette), folder, $"compare-test-{test.Quantity}", BarsHeight(groups.Count),
            $"{test.Name} per seed group",
            $"Mean {test.Name} of each seed group ({better}), in the report's ranking order (by the validation metric: the top group "
            + "first, even where the test metric orders them otherwise), its value beside its name. The axis is zoomed to "
            + "where the groups differ, so compare the dots' positions: dots, not bars, because a bar's length would mean nothing "
            + $"on an axis that does not start at zero. Whiskers: the 95 % confidence interval of the mean over the group's seeds "
            + $"(Student's t), clipped to {MetricRange.Of(test).Describe()}; a group with one seed has none — one seed cannot say how far "
            + "another seed would land."));
        written.Add(Save(TestVsSpeed(groups, test, palette), folder, $"compare-{test.Quantity}-vs-speed", Height,
            $"{test.Name} against training time",
            $"Each seed group's mean {test.Name} against its mean CPU seconds per training epoch (all threads, validation included: "
            + "what an epoch costs, which a busy neighbour does not change as it changes wall time); "
            + $"{(test.HigherIsBetter ? "up" : "down")} and to the left is better."));
        return written;
    }

    private static ComparisonChart Save(Plot plot, string folder, string name, int height, string heading, string caption)
    {
        var files = new List<string>();
        ChartFiles.Save(plot, folder, name, Width, height, files);
        return new ComparisonChart(files.Single(f => f.EndsWith(".png", StringComparison.Ordinal)),
            files.Single(f => f.EndsWith(".svg", StringComparison.Ordinal)), heading, caption);
    }

    /// <summary>The report's colours: each group's is its rank (0 the best) among <see cref="Groups"/> (<see cref="SeriesColours"/>).</summary>
    private sealed record Palette(int Groups)
    {
        public Color Of(int rank) => Color.FromHex(SeriesColours.Of(rank, Groups));
    }

    /// <summary>
    /// Seeds of one group share its colour and differ in marker shape. (Not in dash pattern: Skia's SVG backend cannot
    /// write dashes and prints a warning for each.)
    /// </summary>
    private static readonly MarkerShape[] SeedMarkers = [MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.OpenTriangleUp, MarkerShape.OpenDiamond, MarkerShape.OpenTriangleDown];

    private static Plot Curves(IReadOnlyList<TrialCurves> trials, string monitor, Palette palette)
    {
        var plot = new Plot();
        foreach (var group in trials.GroupBy(t => t.Group))
            foreach (var (t, seed) in group.Select((t, i) => (t, i)))
            {
                var color = palette.Of(t.Colour);
                var line = plot.Add.Scatter(t.History.Select(h => (double)h.Epoch).ToArray(), t.History.Select(h => h.Values[monitor]).ToArray(), color);
                line.LegendText = t.Name;
                line.MarkerShape = SeedMarkers[seed % SeedMarkers.Length];
                line.MarkerSize = 6;
                line.LineWidth = 2;
                if (t.History.FirstOrDefault(h => h.Epoch == t.BestEpoch) is { } best)
                    plot.Add.Marker(best.Epoch, best.Values[monitor], MarkerShape.FilledCircle, 9, color).LegendText = "";
            }
        Label(plot, $"{monitor} per epoch (● best epoch)", "Epoch", monitor);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    private static Plot SeedBands(IReadOnlyList<TrialCurves> trials, string monitor, MetricRange range, Palette palette)
    {
        var plot = new Plot();
        foreach (var group in trials.GroupBy(t => t.Group))
        {
            var color = palette.Of(group.First().Colour);
            var epochs = group.SelectMany(t => t.History.Select(h => h.Epoch)).Distinct().Order().ToArray();
            // At each epoch, over the seeds that reached it (early stopping ends some curves sooner).
            var stats = epochs.Select(e => group.Select(t => t.History.FirstOrDefault(h => h.Epoch == e)).OfType<EpochMetrics>()
                .Select(h => h.Values[monitor]).ToArray()).Select(v => (Mean: v.Average(), Std: StandardDeviation(v), N: v.Length)).ToArray();
            var xs = epochs.Select(e => (double)e).ToArray();
            var band = plot.Add.FillY(xs, stats.Select(s => range.Clip(s.Mean - s.Std)).ToArray(), stats.Select(s => range.Clip(s.Mean + s.Std)).ToArray());
            band.FillStyle.Color = color.WithAlpha(0.2);
            band.LineStyle.Width = 0;
            var mean = plot.Add.Scatter(xs, stats.Select(s => s.Mean).ToArray(), color);
            // Early stopping thins a group out: say from which epoch the mean covers fewer seeds.
            var thinned = Array.FindIndex(stats, s => s.N < group.Count());
            mean.LegendText = thinned < 0 ? $"{group.Key} (n={group.Count()})"
                : $"{group.Key} (n={group.Count()}; fewer from epoch {epochs[thinned]}: n={stats[^1].N} at the end)";
            mean.MarkerSize = 0;
            mean.LineWidth = 2;
        }
        Label(plot, $"{monitor}: seed mean ± std", "Epoch", monitor);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    /// <param name="Ci">The 95 % confidence interval's half-width over the group's seeds (Student's t); 0 for one seed.</param>
    private sealed record GroupStat(string Group, int Colour, double Mean, double Ci, int N, double SecondsPerEpoch);

    /// <summary>
    /// Seed groups on the test metric the trials share, in the comparison's ranking order (its colour index: by the
    /// monitored validation metric), so every chart and table of a report lists the groups alike.
    /// </summary>
    private static List<GroupStat> Groups(IReadOnlyList<TrialCurves> trials, MetricKey test)
    {
        var groups = trials
            .Where(t => t.Test is not null && t.TestMetric == test.Name)
            .GroupBy(t => t.Group)
            .Select(g => (Group: g, Sample: SeedSample.Of(g.Select(t => t.Test))!))
            .Select(x => new GroupStat(x.Group.Key, x.Group.First().Colour, x.Sample.Mean, x.Sample.HalfWidth ?? 0, x.Sample.N,
                x.Group.Average(t => t.SecondsPerEpoch ?? 0)));
        return [.. groups.OrderBy(g => g.Colour)];
    }

    /// <summary>Tall enough for one readable bar per group.</summary>
    private static int BarsHeight(int groups) => Math.Max(300, 140 + 40 * groups);

    /// <summary>
    /// A dot per group on a zoomed axis (a Cleveland dot plot), best at the top, each group's value in its axis label so
    /// no number is clipped at an edge; whiskers clipped to the metric's range (an accuracy never above 1).
    /// </summary>
    private static Plot TestBars(List<GroupStat> groups, MetricKey test, Palette palette)
    {
        var plot = new Plot();
        var range = MetricRange.Of(test);
        var positions = Enumerable.Range(0, groups.Count).Select(i => (double)(groups.Count - 1 - i)).ToArray();
        for (var i = 0; i < groups.Count; i++)
        {
            var g = groups[i];
            if (g.Ci > 0) Whisker(plot, range.Clip(g.Mean - g.Ci), positions[i], range.Clip(g.Mean + g.Ci), positions[i], palette.Of(g.Colour));
            plot.Add.Marker(g.Mean, positions[i], MarkerShape.FilledCircle, 12, palette.Of(g.Colour));
        }
        plot.Axes.Left.SetTicks(positions, [.. groups.Select(g => g.Ci > 0 ? $"{g.Group}: {g.Mean:F4} ± {g.Ci:F4} (n={g.N})" : $"{g.Group}: {g.Mean:F4} (n={g.N})")]);
        var (left, right) = ZoomedLimits(groups.Select(g => g.Mean - g.Ci).ToList(), groups.Select(g => g.Mean + g.Ci).ToList(), range);
        var pad = 0.02 * (right - left); // a dot at the metric's bound (an accuracy of 1) is drawn whole, not cut by the frame
        plot.Axes.SetLimitsX(left - pad, right + pad);
        plot.Axes.SetLimitsY(-0.6, groups.Count - 0.4);
        plot.Title($"{test.Name} per seed group (mean, 95 % CI over seeds; axis zoomed)");
        plot.XLabel(test.Name);
        return plot;
    }

    /// <summary>A dot per group with its 95 % interval whisker; the y axis is zoomed to the dots, and the title says so.</summary>
    private static Plot TestVsSpeed(List<GroupStat> groups, MetricKey test, Palette palette)
    {
        var plot = new Plot();
        var range = MetricRange.Of(test);
        foreach (var g in groups)
        {
            if (g.Ci > 0) Whisker(plot, g.SecondsPerEpoch, range.Clip(g.Mean - g.Ci), g.SecondsPerEpoch, range.Clip(g.Mean + g.Ci), palette.Of(g.Colour));
            plot.Add.Marker(g.SecondsPerEpoch, g.Mean, MarkerShape.FilledCircle, 11, palette.Of(g.Colour)).LegendText = g.Group;
        }
        plot.Axes.Margins(horizontal: 0.15, vertical: 0.15);
        var (bottom, top) = ZoomedLimits(groups.Select(g => g.Mean - g.Ci).ToList(), groups.Select(g => g.Mean + g.Ci).ToList(), range);
        var pad = 0.03 * (top - bottom);
        plot.Axes.SetLimitsY(bottom - pad, top + pad);
        Label(plot, $"{test.Name} against training time (y axis zoomed to the data; whiskers: 95 % CI over seeds)", "CPU seconds per epoch", test.Name);
        return plot;
    }

    /// <summary>
    /// The y range that shows the data's spread with a margin, inside what the metric can take. Data of no height
    /// (one seed per group, every group alike) get a small band around their value, never ScottPlot's ±1 — which put
    /// an accuracy of 1.0 on an axis from 0 to 2.
    /// </summary>
    internal static (double Bottom, double Top) ZoomedLimits(IReadOnlyList<double> lows, IReadOnlyList<double> highs, MetricRange range)
    {
        var (low, high) = (lows.Min(), highs.Max());
        var margin = high - low > 1e-9 ? 0.15 * (high - low) : Math.Max(0.01 * Math.Abs(high), 0.005);
        var (bottom, top) = (range.Clip(low - margin), range.Clip(high + margin));
        return top > bottom ? (bottom, top) : (bottom - margin, top + margin); // at a bound both clip to it: keep a band
    }

    private static void Whisker(Plot plot, double x1, double y1, double x2, double y2, Color? color = null)
    {
        var line = plot.Add.Line(x1, y1, x2, y2);
        line.Color = color ?? Colors.Black;
        line.LineWidth = 2;
        line.LegendText = "";
    }

    private static void Label(Plot plot, string title, string x, string y)
    {
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        plot.ShowLegend(Edge.Bottom); // below the plot, never over the data
    }

    private static double StandardDeviation(double[] values)
    {
        if (values.Length < 2) return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }
}

/// <summary>The values a metric can take: [0, 1] for an accuracy, [0, ∞) for a loss or an error.</summary>
internal sealed record MetricRange(double Lower, double? Upper)
{
    public static MetricRange Of(MetricKey metric) => metric.HigherIsBetter ? new(0, 1) : new(0, null);

    public double Clip(double value) => Math.Clamp(value, Lower, Upper ?? double.PositiveInfinity);

    public string Describe() => Upper is { } upper ? $"[{Lower}, {upper}]" : $"≥ {Lower}";
}
