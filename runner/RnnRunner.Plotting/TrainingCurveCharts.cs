using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Training;
using ScottPlot;

namespace RnnRunner.Plotting;

/// <summary>
/// One chart per logged quantity (loss, accuracy, mae): training vs validation per epoch, the best epoch marked,
/// as PNG (for quick viewing) and SVG (for papers and zooming).
/// </summary>
public sealed class TrainingCurveCharts : IChartWriter
{
    public const int Width = 800, Height = 500;

    public IReadOnlyList<string> WriteRunCharts(string folder, string runName, IReadOnlyList<EpochMetrics> history, int bestEpoch)
    {
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        if (history.Count == 0) return written;
        var quantities = history[0].Values.Keys.Where(k => MetricKey.Parse(k).Split == DataSplit.Train);
        foreach (var quantity in quantities)
        {
            ChartFiles.Save(Draw(runName, quantity, history, bestEpoch), folder, quantity, Width, Height, written);
        }
        return written;
    }

    private static Plot Draw(string runName, string quantity, IReadOnlyList<EpochMetrics> history, int bestEpoch)
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

        var title = Title(quantity);
        plot.Title($"{runName}: training {(hasValidation ? "and validation " : "")}{title.ToLowerInvariant()}");
        plot.XLabel("Epoch");
        plot.YLabel(title);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(quantity.EndsWith("accuracy", StringComparison.Ordinal) ? Alignment.LowerRight : Alignment.UpperRight);
        return plot;
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
