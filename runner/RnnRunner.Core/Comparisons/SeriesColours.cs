using System.Globalization;

namespace RnnRunner.Core.Comparisons;

/// <summary>
/// The colours of a comparison's seed groups, one per group and the same in every chart and table of a report. Up to
/// ten groups: Tableau 10 (the palette of matplotlib and ScottPlot's Category10), one distinct colour each. More
/// groups (a study's trials) would make a cycling palette repeat, so then the colour is the group's rank on viridis,
/// a continuous scale that stays readable in grey and to colour-blind eyes: dark purple the best, yellow the last.
/// </summary>
public static class SeriesColours
{
    public const int Distinct = 10;

    private static readonly string[] Hex =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private static readonly (double R, double G, double B)[] Viridis =
        [(0x44, 0x01, 0x54), (0x3b, 0x52, 0x8b), (0x21, 0x91, 0x8c), (0x5e, 0xc9, 0x62), (0xfd, 0xe7, 0x25)];

    /// <summary>The colour of the group ranked <paramref name="index"/> (0 the best) among <paramref name="count"/>.</summary>
    public static string Of(int index, int count) => count <= Distinct ? Hex[index % Hex.Length] : OnScale(count == 1 ? 0 : (double)index / (count - 1));

    /// <summary>What the colours mean, for a caption.</summary>
    public static string Meaning(int count) => count <= Distinct
        ? "Colour: seed group"
        : $"Colour: the group's rank among {count} (more than {Distinct} distinct colours can tell apart) — dark purple the best, yellow the last";

    private static string OnScale(double t)
    {
        var position = Math.Clamp(t, 0, 1) * (Viridis.Length - 1);
        var i = Math.Min((int)position, Viridis.Length - 2);
        var f = position - i;
        int Channel(Func<(double R, double G, double B), double> c) => (int)Math.Round(c(Viridis[i]) + f * (c(Viridis[i + 1]) - c(Viridis[i])));
        return string.Create(CultureInfo.InvariantCulture, $"#{Channel(c => c.R):x2}{Channel(c => c.G):x2}{Channel(c => c.B):x2}");
    }
}
