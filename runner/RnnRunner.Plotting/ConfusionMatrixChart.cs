using RnnRunner.Core.Results;
using ScottPlot;

namespace RnnRunner.Plotting;

/// <summary>
/// A confusion matrix as a heat map: true classes down, predicted classes across, each cell coloured by the share of
/// its true class it holds (so a small class reads as clearly as a large one) and labelled with its count.
/// </summary>
public sealed class ConfusionMatrixChart : IConfusionChartWriter
{
    /// <summary>A cell's colour by the share of its true class: ScottPlot's Blues runs dark to light, so reversed an empty cell is white and a full one navy.</summary>
    internal static readonly IColormap CellColours = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues());

    /// <summary>A count's colour on a cell holding <paramref name="share"/> of its true class: white on the dark half, black on the light.</summary>
    internal static Color LabelColour(double share) => share > 0.5 ? Colors.White : Colors.Black;

    public IReadOnlyList<string> Write(string folder, string name, IReadOnlyList<string> classes, IReadOnlyList<int[]> matrix)
    {
        Directory.CreateDirectory(folder);
        var k = classes.Count;
        var shares = new double[k, k];
        for (var t = 0; t < k; t++)
        {
            var total = Math.Max(1, matrix[t].Sum());
            for (var p = 0; p < k; p++) shares[t, p] = matrix[t][p] / (double)total;
        }
        var plot = new Plot();
        var heat = plot.Add.Heatmap(shares);
        heat.Colormap = CellColours;
        heat.ManualRange = new ScottPlot.Range(0, 1);
        for (var t = 0; t < k; t++)
            for (var p = 0; p < k; p++)
            {
                var label = plot.Add.Text($"{matrix[t][p]}", p, k - 1 - t);
                label.LabelFontColor = LabelColour(shares[t, p]);
                label.LabelFontSize = 14;
                label.LabelAlignment = Alignment.MiddleCenter;
            }
        var positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, classes.ToArray());
        plot.Axes.Left.SetTicks(positions, classes.Reverse().ToArray());
        plot.Add.ColorBar(heat).Label = "colour: share of the true class";
        plot.Title("Confusion matrix (counts)");
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        var written = new List<string>();
        var size = 200 + 70 * k;
        ChartFiles.Save(plot, folder, name, Math.Max(size + 160, 520), size, written); // wide enough for the title at any k
        return written;
    }
}
