using RnnRunner.Core.Specs;
using RnnRunner.Core.Grids;
using RnnRunner.Core.Results;
using ScottPlot;

namespace RnnRunner.Plotting;

/// <summary>
/// A grid's comparison charts, PNG and SVG: every trial's validation curve overlaid (best epoch marked; curves
/// of unequal length from early stopping simply end), seed groups as mean lines with ±std bands, test accuracy
/// per group with error bars, and accuracy against seconds per epoch. Legends come from the trial names, which
/// say what differs.
/// </summary>
public sealed class ComparisonCharts : IComparisonChartWriter
{
    public const int Width = 900, Height = 550;

    public IReadOnlyList<string> Write(string folder, IReadOnlyList<TrialCurves> trials, string monitor)
    {
        Directory.CreateDirectory(folder);
        var withHistory = trials.Where(t => t.History.Count > 0 && t.History[0].Values.ContainsKey(monitor)).ToList();
        var written = new List<string>();
        if (withHistory.Count == 0) return written;
        Save(Curves(withHistory, monitor), folder, $"compare-{monitor}", written);
        if (withHistory.GroupBy(t => t.Group).Any(g => g.Count() > 1))
            Save(SeedBands(withHistory, monitor), folder, $"compare-{monitor}-seed-mean", written);
        // The test metric the trials are judged by (accuracy, else mae, else loss); charts are named after it.
        if (trials.Select(t => t.TestMetric).FirstOrDefault(m => m is not null) is not { } testName) return written;
        var test = MetricKey.Parse(testName);
        var groups = Groups(trials, test);
        if (groups.Count > 0)
        {
            Save(TestBars(groups, test), folder, $"compare-test-{test.Quantity}", written);
            Save(TestVsSpeed(groups, test), folder, $"compare-{test.Quantity}-vs-speed", written);
        }
        return written;
    }

    private static void Save(Plot plot, string folder, string name, List<string> written) =>
        ChartFiles.Save(plot, folder, name, Width, Height, written);

    private static Plot Curves(IReadOnlyList<TrialCurves> trials, string monitor)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < trials.Count; i++)
        {
            var t = trials[i];
            var color = palette.GetColor(i);
            var line = plot.Add.Scatter(t.History.Select(h => (double)h.Epoch).ToArray(), t.History.Select(h => h.Values[monitor]).ToArray(), color);
            line.LegendText = t.Name;
            line.MarkerSize = 0;
            line.LineWidth = 2;
            if (t.History.FirstOrDefault(h => h.Epoch == t.BestEpoch) is { } best)
            {
                var marker = plot.Add.Marker(best.Epoch, best.Values[monitor], MarkerShape.FilledCircle, 9, color);
                marker.LegendText = "";
            }
        }
        Label(plot, $"{monitor} per epoch (● best epoch)", "Epoch", monitor);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    private static Plot SeedBands(IReadOnlyList<TrialCurves> trials, string monitor)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var group in trials.GroupBy(t => t.Group))
        {
            var color = palette.GetColor(index++);
            var epochs = group.SelectMany(t => t.History.Select(h => h.Epoch)).Distinct().Order().ToArray();
            // At each epoch, over the seeds that reached it (early stopping ends some curves sooner).
            var stats = epochs.Select(e => group.Select(t => t.History.FirstOrDefault(h => h.Epoch == e)).OfType<Core.Training.EpochMetrics>()
                .Select(h => h.Values[monitor]).ToArray()).Select(v => (Mean: v.Average(), Std: StandardDeviation(v), N: v.Length)).ToArray();
            var xs = epochs.Select(e => (double)e).ToArray();
            // The band stays inside what the metric can be: [0, 1] for an accuracy, ≥ 0 for a loss or an error.
            var ceiling = MetricKey.Parse(monitor).HigherIsBetter ? 1.0 : double.PositiveInfinity;
            var band = plot.Add.FillY(xs, stats.Select(s => Math.Max(0, s.Mean - s.Std)).ToArray(),
                stats.Select(s => Math.Min(ceiling, s.Mean + s.Std)).ToArray());
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

    private sealed record GroupStat(string Group, double Accuracy, double Std, double SecondsPerEpoch);

    /// <summary>Seed groups on the test metric the trials share, best first by that metric's direction.</summary>
    private static List<GroupStat> Groups(IReadOnlyList<TrialCurves> trials, MetricKey test)
    {
        var groups = trials
            .Where(t => t.Test is not null && t.TestMetric == test.Name)
            .GroupBy(t => t.Group)
            .Select(g => new GroupStat(g.Key, g.Average(t => t.Test!.Value),
                StandardDeviation(g.Select(t => t.Test!.Value).ToArray()), g.Average(t => t.SecondsPerEpoch ?? 0)));
        return (test.HigherIsBetter ? groups.OrderByDescending(g => g.Accuracy) : groups.OrderBy(g => g.Accuracy)).ToList();
    }

    /// <summary>Bars from zero (a small gap must look small); an accuracy axis stops at 1.</summary>
    private static Plot TestBars(List<GroupStat> groups, MetricKey test)
    {
        var plot = new Plot();
        var positions = Enumerable.Range(0, groups.Count).Select(i => (double)i).ToArray();
        var bars = plot.Add.Bars(positions, groups.Select(g => g.Accuracy).ToArray());
        foreach (var bar in bars.Bars) bar.FillColor = Colors.C0;
        var errors = plot.Add.ErrorBar(positions, groups.Select(g => g.Accuracy).ToArray(), groups.Select(g => g.Std).ToArray());
        errors.Color = Colors.Black;
        plot.Axes.Bottom.SetTicks(positions, groups.Select(g => g.Group).ToArray());
        var top = groups.Max(g => g.Accuracy + g.Std) * 1.05;
        plot.Axes.SetLimitsY(0, test.HigherIsBetter ? Math.Min(1.0, Math.Max(top, 0.05)) : Math.Max(top, 1e-6));
        Label(plot, $"{test.Name} (mean ± std over seeds)", "", test.Name);
        return plot;
    }

    private static Plot TestVsSpeed(List<GroupStat> groups, MetricKey test)
    {
        var plot = new Plot();
        foreach (var g in groups)
        {
            plot.Add.Marker(g.SecondsPerEpoch, g.Accuracy, MarkerShape.FilledCircle, 10, Colors.C0);
            var label = plot.Add.Text(g.Group, g.SecondsPerEpoch, g.Accuracy);
            label.LabelFontSize = 12;
            label.OffsetX = 6;
        }
        plot.Axes.Margins(horizontal: 0.2, vertical: 0.15); // room for the labels right of the last point
        Label(plot, $"{test.Name} against training time", "Seconds per epoch", test.Name);
        return plot;
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
