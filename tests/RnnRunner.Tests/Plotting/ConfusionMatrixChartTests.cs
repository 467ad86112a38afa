using System.Globalization;
using System.Text.RegularExpressions;
using RnnRunner.Plotting;

namespace RnnRunner.Tests.Plotting;

/// <summary>The confusion matrix reads at a glance: full cells dark, empty ones light, every count legible on its cell.</summary>
public class ConfusionMatrixChartTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    [InlineData(0.49)]
    [InlineData(0.51)]
    [InlineData(0.8)]
    [InlineData(1.0)]
    public void Every_count_contrasts_with_its_cell(double share)
    {
        var cell = ConfusionMatrixChart.CellColours.GetColor(share);
        var label = ConfusionMatrixChart.LabelColour(share);

        Assert.True(Contrast(cell, label) >= 3.0, $"share {share}: contrast {Contrast(cell, label):F2} between the count and its cell");
    }

    [Fact]
    public void A_cell_holding_all_of_its_class_is_darker_than_an_empty_one()
    {
        Assert.True(Luminance(ConfusionMatrixChart.CellColours.GetColor(1)) < Luminance(ConfusionMatrixChart.CellColours.GetColor(0)) / 4);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    public void Every_line_of_text_lies_inside_the_canvas(int classes)
    {
        using var temp = new Support.TempDirectory();
        var names = Enumerable.Range(0, classes).Select(i => $"class {i}").ToList();
        var matrix = Enumerable.Range(0, classes).Select(t => Enumerable.Range(0, classes).Select(p => t == p ? 90 : 3).ToArray()).ToList();

        var written = new ConfusionMatrixChart().Write(temp.Path, "confusion", names, matrix);

        var svg = File.ReadAllText(Assert.Single(written, f => f.EndsWith(".svg", StringComparison.Ordinal)));
        var width = double.Parse(Regex.Match(svg, @"<svg[^>]* width=""([\d.]+)""").Groups[1].Value, CultureInfo.InvariantCulture);
        var texts = HorizontalTexts(svg).ToList();
        Assert.Contains(texts, t => t.Text == "Confusion matrix (counts)");
        foreach (var t in texts)
            Assert.True(t.Left >= 0 && t.Right <= width, $"'{t.Text}' spans {t.Left:F0}-{t.Right:F0} px on a canvas {width} px wide");
    }

    /// <summary>Each unrotated text element: its content and how far it reaches left and right (glyph starts, plus one glyph for the last).</summary>
    private static IEnumerable<(string Text, double Left, double Right)> HorizontalTexts(string svg)
    {
        foreach (Match m in Regex.Matches(svg, @"<text[^>]*transform=""translate\(([-\d.]+) [-\d.]+\)""[^>]*font-size=""([\d.]+)""[^>]*x=""([^""]*)""[^>]*>\s*([^<]*?)\s*</text>"))
        {
            var x = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            var size = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            var starts = m.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
            if (starts.Count > 0) yield return (m.Groups[4].Value, x + starts.Min(), x + starts.Max() + size);
        }
    }

    /// <summary>WCAG's contrast ratio of two colours' relative luminances.</summary>
    private static double Contrast(ScottPlot.Color a, ScottPlot.Color b)
    {
        var (l1, l2) = (Luminance(a), Luminance(b));
        return (Math.Max(l1, l2) + 0.05) / (Math.Min(l1, l2) + 0.05);
    }

    private static double Luminance(ScottPlot.Color c)
    {
        static double Linear(byte v) => v / 255.0 is var s && s <= 0.03928 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
        return 0.2126 * Linear(c.R) + 0.7152 * Linear(c.G) + 0.0722 * Linear(c.B);
    }
}
