using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Training;
using ScottPlot;

namespace RnnRunner.Plotting;

/// <summary>
/// One chart per logged quantity (loss, accuracy, mae): training vs validation per epoch, the best epoch marked,
/// as PNG (for quick viewing) and SVG (for papers and zooming); and, when gradient norms were logged, one chart of every
/// layer's norm on a log axis (a gradient that explodes or vanishes changes by factors).
/// </summary>
public sealed class TrainingCurveCharts : ITrainingCurveChartWriter
{
    public const int Width = 800, Height = 500;

    public IReadOnlyList<string> WriteRunCharts(string folder, string runName, string lossName, IReadOnlyList<EpochMetrics> history, int bestEpoch)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        if (history.Count == 0) return written;
        var quantities = history[0].Values.Keys.Where(k => MetricKey.Parse(k).Split == DataSplit.Train && !GradientNorms.IsNorm(k));
        foreach (var quantity in quantities)
        {
            ChartFiles.Save(Draw(runName, quantity, lossName, history, bestEpoch), folder, quantity, Width, Height, written);
        }
        var norms = history[0].Values.Keys.Where(GradientNorms.IsNorm).Order(StringComparer.Ordinal).ToList();
        if (norms.Count > 0) ChartFiles.Save(DrawNorms(runName, norms, history), folder, "gradient-norms", Width, Height, written);
        return written;
    }

    private static Plot DrawNorms(string runName, IReadOnlyList<string> norms, IReadOnlyList<EpochMetrics> history)
    {
        var plot = new Plot();
        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        var all = new List<double>();
        foreach (var (name, i) in norms.Select((n, i) => (n, i)))
        {
            var values = history.Select(h => h.Values.GetValueOrDefault(name, double.NaN)).ToArray();
            all.AddRange(values.Where(v => v > 0));
            AddLine(plot, epochs, values.Select(v => v > 0 ? Math.Log10(v) : double.NaN).ToArray(), name[GradientNorms.Prefix.Length..],
                Color.FromHex(Core.Comparisons.SeriesColours.Of(i, norms.Count)));
        }
        if (all.Count > 0) plot.Axes.Left.TickGenerator = LogAxis.Ticks(all);
        plot.Title($"{runName}: gradient norm of each layer");
        plot.XLabel("Epoch");
        plot.YLabel("L2 norm before clipping, epoch mean (log)");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    private static Plot Draw(string runName, string quantity, string lossName, IReadOnlyList<EpochMetrics> history, int bestEpoch)
    {
        var plot = new Plot();
        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        AddLine(plot, epochs, history.Select(h => h.Values[quantity]).ToArray(), $"training {quantity}", Colors.C0);
        var validation = MetricKey.Parse(quantity).On(DataSplit.Validation).Name;
        var hasValidation = history[0].Values.ContainsKey(validation);
        if (hasValidation)
            AddLine(plot, epochs, history.Select(h => h.Values[validation]).ToArray(), $"validation {quantity}", Colors.C1);
        if (bestEpoch > 0)
        {
            var marker = plot.Add.VerticalLine(bestEpoch, 1, Colors.Gray, LinePattern.Dashed);
            marker.LegendText = $"best epoch ({bestEpoch})";
        }

        var isLoss = quantity == MetricKey.LossQuantity;
        if (isLoss) AddLearningRate(plot, epochs, history);
        var title = isLoss ? $"Loss ({lossName})" : Title(quantity);
        plot.Title($"{runName}: training {(hasValidation ? "and validation " : "")}{(isLoss ? $"loss ({lossName})" : title.ToLowerInvariant())}");
        plot.XLabel("Epoch");
        plot.YLabel(title);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Edge.Bottom); // below the plot, never over the curves
        return plot;
    }

    /// <summary>
    /// A schedule (reduce_lr_on_plateau) changed the learning rate: show it on the right-hand axis, on a log scale — a
    /// rate divided by ten each step would otherwise lie flat on zero after the first.
    /// </summary>
    private static void AddLearningRate(Plot plot, double[] epochs, IReadOnlyList<EpochMetrics> history)
    {
        var rates = history.Select(h => h.LearningRate).ToArray();
        if (rates.Distinct().Count() < 2 || rates.Any(r => r <= 0)) return;
        var line = plot.Add.Scatter(epochs, rates.Select(Math.Log10).ToArray(), Colors.C2);
        line.LegendText = "learning rate (right axis, log scale)";
        line.LinePattern = LinePattern.Dotted;
        line.LineWidth = 2;
        line.MarkerSize = 0;
        line.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.TickGenerator = LogAxis.Ticks(rates);
        var (low, high) = (Math.Log10(rates.Min()), Math.Log10(rates.Max()));
        var margin = 0.08 * (high - low);
        plot.Axes.SetLimitsY(low - margin, high + margin, plot.Axes.Right); // off the frame's edges, as the left axis' curves are
        plot.Axes.Right.Label.Text = "Learning rate (log scale)";
    }

    private static void AddLine(Plot plot, double[] xs, double[] ys, string label, Color color)
    {
        var line = plot.Add.Scatter(xs, ys, color);
        line.LegendText = label;
        line.LineWidth = 2;
        line.MarkerSize = xs.Length <= 30 ? 6 : 0;
    }

    private static string Title(string quantity) => quantity switch
    {
        "loss" => "Loss",
        "accuracy" => "Accuracy",
        "mae" => "Mean absolute error",
        _ => quantity,
    };
}
