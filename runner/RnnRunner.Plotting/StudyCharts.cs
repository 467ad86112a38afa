using System.Globalization;
using RnnRunner.Core.Comparisons;
using RnnRunner.Core.Grids;
using RnnRunner.Core.Search;
using ScottPlot;

namespace RnnRunner.Plotting;

/// <summary>
/// A study's own charts, PNG and SVG with headings and captions for report.html: the objective of every trial by
/// trial number with the running best; one panel per parameter (objective against its value, log axis where it is
/// sampled log, the choices by name); parallel coordinates over every parameter and the objective; and, with ASHA,
/// how many trials reached each rung.
/// </summary>
public sealed class StudyCharts : IStudyChartWriter
{
    private const int Width = 900, Height = 500;
    private static readonly Color Complete = Color.FromHex(SeriesColours.Of(0, 1)), Partial = Colors.Gray;

    public IReadOnlyList<ComparisonChart> Write(string folder, StudyChartData study)
    {
        Directory.CreateDirectory(folder);
        var scored = study.Trials.Where(t => t.Value is not null).ToList();
        var charts = new List<ComparisonChart>();
        if (scored.Count == 0) return charts;
        var metric = study.Objective.Metric;
        charts.Add(Save(ByTrial(scored, study.Objective), folder, "study-objective", Height, $"{metric} by trial",
            $"Each trial's best {metric} (● trained to the end; ○ pruned or paused: its best before it stopped) in the order trials were "
            + $"sampled; the line is the best complete trial so far ({study.Objective.Direction})."));
        if (study.Objectives.Count > 1 && scored.Any(t => t.Objectives is not null))
            charts.Add(Save(Front(scored, study.Objectives), folder, "study-pareto", Height, "Pareto front",
                $"Every completed trial by {study.Objectives[0].Metric} and {study.Objectives[1].Metric}; the front (filled, named, joined) are the trials "
                + "no other beats on every objective" + (study.Objectives.Count > 2 ? $" (all {study.Objectives.Count} objectives count; two are drawn)." : ".")));
        var budgets = Budgets(scored);
        foreach (var (parameter, d) in study.Space.Select((p, d) => (p, d)))
            charts.Add(Save(Parameter(scored, budgets, parameter, d, study.Objective), folder, $"study-parameter-{d + 1}", Height,
                $"{metric} against {parameter.Path}",
                $"Each trial's best {metric} against the {parameter.Path} it was sampled with"
                + (parameter.Distribution is FloatDistribution { Log: true } or IntDistribution { Log: true } ? " (log axis: it is sampled log-uniformly)" : "")
                + (budgets.Count > 1 ? "; each mark is a budget: trials stopped early scored after fewer epochs, so compare a mark with its own kind." : ".")));
        if (study.Space.Count > 1)
            charts.Add(Save(Parallel(scored, study), folder, "study-parallel", Height, "Parallel coordinates",
                $"One line per trial through its value of each parameter (each axis from its low to its high end; log where sampled log) and its {metric} "
                + "on the right; trials trained to the end coloured from the best (dark) to the worst (light), pruned ones thin grey dashes (their score is at a smaller budget)."));
        if (study.Rungs is { } rungs)
            charts.Add(Save(Rungs(study.Trials, rungs), folder, "study-rungs", Height, "ASHA rungs",
                "How many trials reached each rung (its epochs in brackets): every trial trains to the first; only the top of each continues."));
        return charts;
    }

    private static ComparisonChart Save(Plot plot, string folder, string name, int height, string heading, string caption)
    {
        var files = new List<string>();
        ChartFiles.Save(plot, folder, name, Width, height, files);
        return new ComparisonChart(files[0], files[1], heading, caption);
    }

    private static Plot ByTrial(List<StudyChartTrial> scored, Objective objective)
    {
        var plot = new Plot();
        foreach (var (complete, marker) in new[] { (true, MarkerShape.FilledCircle), (false, MarkerShape.OpenCircle) })
        {
            var group = scored.Where(t => (t.State == TrialState.Completed) == complete).ToList();
            if (group.Count == 0) continue;
            var points = plot.Add.ScatterPoints(group.Select(t => (double)t.Number).ToArray(), group.Select(t => t.Value!.Value).ToArray(), complete ? Complete : Partial);
            points.MarkerShape = marker;
            points.MarkerSize = 8;
            points.LegendText = complete ? "trained to the end" : "pruned or paused";
        }
        var best = new List<(double X, double Y)>();
        foreach (var t in scored.Where(t => t.State == TrialState.Completed).OrderBy(t => t.Number))
            if (best.Count == 0 || objective.Oriented(t.Value!.Value) < objective.Oriented(best[^1].Y)) best.Add((t.Number, t.Value!.Value));
        if (best.Count > 0)
        {
            var last = scored.Max(t => t.Number);
            var steps = best.SelectMany((b, i) => new (double X, double Y)[] { b, (i + 1 < best.Count ? best[i + 1].X : last, b.Y) }).ToList();
            var line = plot.Add.Scatter(steps.Select(s => s.X).ToArray(), steps.Select(s => s.Y).ToArray(), Colors.Black);
            line.MarkerSize = 0;
            line.LineWidth = 2;
            line.LegendText = "best so far";
        }
        plot.Title($"{objective.Metric} by trial ({objective.Direction})");
        plot.XLabel("Trial");
        plot.YLabel(objective.Metric);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    /// <summary>Where a value sits on its parameter's axis: its logarithm for log-sampled ones, else itself.</summary>
    private static bool IsLog(Distribution d) => d is FloatDistribution { Log: true } or IntDistribution { Log: true };

    private static double AxisValue(Distribution d, double value) => IsLog(d) ? Math.Log10(value) : value;

    /// <summary>A group of trials scored at one budget, with its mark: those trained to the end, or those stopped after so many epochs.</summary>
    private sealed record Budget(string Label, Func<StudyChartTrial, bool> Holds, MarkerShape Shape, Color Colour);

    /// <summary>
    /// The budgets trials were scored at: trained to the end (filled), then each stopping point of the pruned or paused
    /// ones (open marks, darker the further they got) — at most four, wider spans merged — so a slice never passes a
    /// one-epoch score off as a finished one.
    /// </summary>
    private static List<Budget> Budgets(List<StudyChartTrial> scored)
    {
        var budgets = new List<Budget> { new("trained to the end", t => t.State == TrialState.Completed, MarkerShape.FilledCircle, Complete) };
        var stops = scored.Where(t => t.State != TrialState.Completed).Select(t => t.Epochs).Distinct().Order().ToList();
        var spans = stops.Count <= 4 ? stops.Select(e => (Low: e, High: e)).ToList()
            : Enumerable.Range(0, 4).Select(k => (Low: stops[k * stops.Count / 4], High: stops[(k + 1) * stops.Count / 4 - 1])).ToList();
        MarkerShape[] shapes = [MarkerShape.OpenSquare, MarkerShape.OpenTriangleUp, MarkerShape.OpenDiamond, MarkerShape.OpenCircle];
        foreach (var (span, k) in spans.Select((x, k) => (x, k)))
        {
            var epochs = span.Low == span.High ? $"{span.Low}" : $"{span.Low}–{span.High}";
            budgets.Add(new Budget($"stopped after {epochs} epoch{(span.High == 1 ? "" : "s")}",
                t => t.State != TrialState.Completed && t.Epochs >= span.Low && t.Epochs <= span.High, shapes[k],
                Colors.Black.WithAlpha(0.35 + 0.5 * k / Math.Max(1, spans.Count - 1))));
        }
        return budgets;
    }

    private static Plot Parameter(List<StudyChartTrial> scored, List<Budget> budgets, SearchParameter parameter, int d, Objective objective)
    {
        var plot = new Plot();
        var distribution = parameter.Distribution;
        foreach (var budget in budgets)
        {
            var group = scored.Where(budget.Holds).ToList();
            if (group.Count == 0) continue;
            var points = plot.Add.ScatterPoints(group.Select(t => AxisValue(distribution, t.Values[d])).ToArray(), group.Select(t => t.Value!.Value).ToArray(),
                budget.Colour);
            points.MarkerShape = budget.Shape;
            points.MarkerSize = 8;
            points.LegendText = budget.Label;
        }
        if (distribution is ChoiceDistribution choice)
            plot.Axes.Bottom.SetTicks(Enumerable.Range(0, choice.Values.Count).Select(i => (double)i).ToArray(),
                choice.Values.Select(v => Cut(GridExpander.Flow(v))).ToArray());
        else if (IsLog(distribution))
            plot.Axes.Bottom.TickGenerator = LogAxis.Ticks(scored.Select(t => t.Values[d]).ToList());
        plot.Axes.Margins(horizontal: 0.08, vertical: 0.1);
        plot.Title($"{objective.Metric} against {parameter.Path}");
        plot.XLabel(parameter.Path + (IsLog(distribution) ? " (log scale)" : ""));
        plot.YLabel(objective.Metric);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    /// <summary>A spec path short enough for an axis: its last two parts (optimizer.learning_rate).</summary>
    private static string Shorten(string path)
    {
        var parts = path.Split('.');
        return Cut(parts.Length > 2 ? string.Join(".", parts[^2..]) : path);
    }

    private static string Cut(string text) => text.Length <= 28 ? text : text[..27] + "…";

    /// <summary>Every axis scaled to [0, 1] over its parameter's range (choices spread by index); the objective last.</summary>
    private static Plot Parallel(List<StudyChartTrial> scored, StudyChartData study)
    {
        var plot = new Plot();
        var space = study.Space;
        var values = scored.Select(t => t.Value!.Value).ToList();
        var (low, high) = (values.Min(), values.Max());
        var ranked = scored.Where(t => t.State == TrialState.Completed).OrderBy(t => study.Objective.Oriented(t.Value!.Value)).ThenBy(t => t.Number).ToList();
        var colormap = new ScottPlot.Colormaps.Viridis();
        double[] Ys(StudyChartTrial t) => space.Select((p, d) => Scaled(p.Distribution, t.Values[d]))
            .Append(high > low ? (t.Value!.Value - low) / (high - low) : 0.5).ToArray();
        var xs = Enumerable.Range(0, space.Count + 1).Select(i => (double)i).ToArray();
        // Pruned trials underneath, thin and dashed: their scores stand for a smaller budget.
        foreach (var t in scored.Where(t => t.State != TrialState.Completed))
        {
            var line = plot.Add.Scatter(xs, Ys(t), Colors.Gray.WithAlpha(0.6));
            line.MarkerSize = 0;
            line.LineWidth = 1;
            line.LinePattern = LinePattern.Dashed;
        }
        // The worst complete trial first, so the best lines are drawn on top.
        foreach (var (t, rank) in ranked.Select((t, i) => (t, i)).Reverse())
        {
            var line = plot.Add.Scatter(xs, Ys(t), colormap.GetColor(ranked.Count > 1 ? 0.85 * rank / (ranked.Count - 1) : 0));
            line.MarkerSize = 4;
            line.LineWidth = 1.5f;
        }
        var labels = space.Select(p => $"{Shorten(p.Path)}\n{Range(p.Distribution)}")
            .Append(string.Create(CultureInfo.InvariantCulture, $"{study.Objective.Metric}\n{low:G3} .. {high:G3}")).ToArray();
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray(), labels);
        for (var i = 0; i < labels.Length; i++)
        {
            var axis = plot.Add.VerticalLine(i, 1, Colors.Black);
            axis.LegendText = "";
        }
        // Each axis labelled with its own real values where they sit: a choice's names, a number's low, middle and high
        // (the middle on the axis' own scale: the geometric mean for a log-sampled one).
        for (var d = 0; d < space.Count; d++)
            foreach (var (position, text) in AxisValues(space[d].Distribution)) AxisLabel(plot, d, position, text);
        foreach (var (position, value) in new[] { (0.0, low), (0.5, (low + high) / 2), (1.0, high) })
            AxisLabel(plot, space.Count, position, value.ToString("G3", CultureInfo.InvariantCulture));
        plot.Axes.SetLimits(-0.4, labels.Length - 0.6, -0.05, 1.05);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(); // each axis carries its own values
        plot.Title("Parallel coordinates (dark: best; grey dashes: pruned; each axis in its own values)");
        return plot;
    }

    /// <summary>Where on its axis (0 to 1) to write which of a parameter's values: every choice, or a number's ends and middle.</summary>
    private static IEnumerable<(double Position, string Text)> AxisValues(Distribution d)
    {
        if (d is ChoiceDistribution c)
        {
            for (var i = 0; i < c.Values.Count; i++) yield return (Scaled(d, i), GridExpander.Flow(c.Values[i]));
            yield break;
        }
        var (low, high) = d switch { FloatDistribution f => (f.Low, f.High), IntDistribution n => (n.Low, (double)n.High), _ => (0.0, 1.0) };
        var middle = IsLog(d) ? Math.Sqrt(low * high) : (low + high) / 2;
        foreach (var value in new[] { low, middle, high })
            yield return (Scaled(d, value), value.ToString("G3", CultureInfo.InvariantCulture));
    }

    private static void AxisLabel(Plot plot, int axis, double position, string text)
    {
        var label = plot.Add.Text(text, axis, position);
        label.LabelFontSize = 11;
        label.LabelFontColor = Colors.Black.WithAlpha(0.75);
        label.LabelBackgroundColor = Colors.White.WithAlpha(0.8);
        label.LabelAlignment = Alignment.MiddleLeft;
        label.OffsetX = 4;
    }

    private static double Scaled(Distribution d, double value) => d switch
    {
        FloatDistribution f => IsLog(d) ? (Math.Log(value) - Math.Log(f.Low)) / (Math.Log(f.High) - Math.Log(f.Low)) : (value - f.Low) / (f.High - f.Low),
        IntDistribution i => i.High == i.Low ? 0.5 : IsLog(d) ? (Math.Log(value) - Math.Log(i.Low)) / (Math.Log(i.High) - Math.Log(i.Low)) : (value - i.Low) / (double)(i.High - i.Low),
        ChoiceDistribution c => c.Values.Count == 1 ? 0.5 : value / (c.Values.Count - 1),
        _ => 0.5,
    };

    private static string Range(Distribution d) => d switch
    {
        FloatDistribution f => string.Create(CultureInfo.InvariantCulture, $"{f.Low:G3} .. {f.High:G3}"),
        IntDistribution i => string.Create(CultureInfo.InvariantCulture, $"{i.Low} .. {i.High}"),
        ChoiceDistribution c => $"{c.Values.Count} choices",
        _ => "",
    };

    /// <summary>
    /// Objective 1 against objective 2: every completed trial, the front filled, named and joined as a staircase (the
    /// edge of what it dominates). An objective spanning more than a factor of 20 (parameters, seconds) is drawn on a log
    /// axis; trials at the same point share one label.
    /// </summary>
    private static Plot Front(List<StudyChartTrial> scored, IReadOnlyList<Objective> objectives)
    {
        var plot = new Plot();
        var measured = scored.Where(t => t.Objectives is not null).ToList();
        var (x, y) = (objectives[0], objectives[1]);
        var logY = measured.All(t => t.Objectives![1] > 0) && measured.Max(t => t.Objectives![1]) > 20 * measured.Min(t => t.Objectives![1]);
        double Y(double value) => logY ? Math.Log10(value) : value;
        var rest = measured.Where(t => !t.OnFront).ToList();
        if (rest.Count > 0)
        {
            var others = plot.Add.ScatterPoints(rest.Select(t => t.Objectives![0]).ToArray(), rest.Select(t => Y(t.Objectives![1])).ToArray(), Colors.Gray.WithAlpha(0.6));
            others.MarkerSize = 7;
            others.LegendText = "dominated";
        }
        var front = measured.Where(t => t.OnFront).OrderBy(t => x.Oriented(t.Objectives![0])).ThenBy(t => t.Number).ToList();
        var steps = front.SelectMany((t, i) => i == 0 ? [(t.Objectives![0], t.Objectives[1])]
            : new[] { (t.Objectives![0], front[i - 1].Objectives![1]), (t.Objectives[0], t.Objectives[1]) }).ToList();
        var line = plot.Add.Scatter(steps.Select(s => s.Item1).ToArray(), steps.Select(s => Y(s.Item2)).ToArray(), Complete);
        line.MarkerSize = 0;
        line.LineWidth = 1.5f;
        var marks = plot.Add.ScatterPoints(front.Select(t => t.Objectives![0]).ToArray(), front.Select(t => Y(t.Objectives![1])).ToArray(), Complete);
        marks.MarkerSize = 10;
        marks.LegendText = "Pareto front";
        foreach (var same in front.GroupBy(t => (t.Objectives![0], t.Objectives[1])))
        {
            var name = plot.Add.Text(string.Join(", ", same.Select(t => LoadedStudy.TrialName(t.Number))), same.Key.Item1, Y(same.Key.Item2));
            name.LabelFontSize = 11;
            name.LabelAlignment = Alignment.LowerRight;
            name.OffsetX = -5;
            name.LabelBackgroundColor = Colors.White.WithAlpha(0.7);
        }
        if (logY) plot.Axes.Left.TickGenerator = LogAxis.Ticks(measured.Select(t => t.Objectives![1]).ToList());
        plot.Axes.Margins(horizontal: 0.12, vertical: 0.12);
        plot.Title($"Pareto front: {x.Direction} {x.Metric}, {y.Direction} {y.Metric}");
        plot.XLabel($"{x.Metric} ({(x.Maximize ? "higher" : "lower")} is better)");
        plot.YLabel($"{y.Metric} ({(y.Maximize ? "higher" : "lower")} is better{(logY ? "; log scale" : "")})");
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    private static Plot Rungs(IReadOnlyList<StudyChartTrial> trials, IReadOnlyList<int> rungs)
    {
        var plot = new Plot();
        // A completed trial reached every rung, though early stopping may have ended it an epoch or two short of the last.
        var counts = rungs.Select(r => (double)trials.Count(t => t.State == TrialState.Completed || t.Epochs >= r)).ToArray();
        var bars = plot.Add.Bars(Enumerable.Range(0, rungs.Count).Select(i => (double)i).ToArray(), counts);
        foreach (var bar in bars.Bars)
        {
            bar.FillColor = Complete;
            bar.Label = bar.Value.ToString("F0", CultureInfo.InvariantCulture);
        }
        bars.ValueLabelStyle.FontSize = 14;
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, rungs.Count).Select(i => (double)i).ToArray(),
            rungs.Select((r, i) => $"rung {i} ({r} epoch{(r == 1 ? "" : "s")})").ToArray());
        plot.Axes.Margins(bottom: 0, top: 0.15);
        plot.Title("Trials reaching each ASHA rung");
        plot.YLabel("Trials");
        return plot;
    }
}
