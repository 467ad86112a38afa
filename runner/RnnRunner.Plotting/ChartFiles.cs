using RnnRunner.Core.Results;
using RnnRunner.Core.Storage;
using ScottPlot;

namespace RnnRunner.Plotting;

/// <summary>Saves a chart as PNG (quick viewing) and SVG (papers, zooming), each written atomically.</summary>
internal static class ChartFiles
{
    public static void Save(Plot plot, string folder, string name, int width, int height, List<string> written)
    {
        var png = Path.Combine(folder, $"{name}.png");
        var svg = Path.Combine(folder, $"{name}.svg");
        var bytes = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.Write(png, s => s.Write(bytes));
        AtomicFile.WriteAllText(svg, plot.GetSvgXml(width, height));
        written.Add(png);
        written.Add(svg);
    }
}
