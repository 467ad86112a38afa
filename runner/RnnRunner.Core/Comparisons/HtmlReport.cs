using System.Globalization;
using RnnRunner.Core.Reports;
using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Storage;
using static RnnRunner.Core.Reports.HtmlPage;

namespace RnnRunner.Core.Comparisons;

/// <summary>
/// report.html: a comparison in one self-contained file — title and description, the seed-group table (when a group
/// has several seeds) and the trial table (both sortable; each trial linked to its run folder and its own plots), then
/// the charts, inlined as SVG under real headings with captions. It opens from disk with no server.
/// </summary>
public static class HtmlReport
{
    public static void Write(string folder, ReportHeader header, Comparison comparison, IReadOnlyList<ComparisonChart> charts)
    {
        var page = new HtmlPage(header.Title, header.Description);
        page.Paragraph(Meta(comparison), "meta");
        foreach (var (table, n) in header.Findings.Select((t, n) => (t, n)))
        {
            page.Heading(table.Heading).Paragraph(table.Explanation, "description");
            if (table.Rows.Count > 0)
                page.Raw(HtmlTable.Render($"finding-{n}", [.. table.Columns.Select((c, i) => new Column<IReadOnlyList<string>>($"c{i}", c, row => row[i]))], table.Rows));
        }
        page.Paragraph(ComparisonColumns.HowToRead(comparison), "description");
        // Groups of one run (no seeds repeated: a study, a grid without seeds) would only repeat the trials table.
        if (comparison.Groups.Any(g => g.Trials > 1))
            page.Heading("Seed groups", "groups")
                .Paragraph("Each group keeps its colour in every chart below. Click a heading to sort.")
                .Raw(HtmlTable.Render("groups", ComparisonColumns.Groups(comparison), comparison.Groups, colour: g => SeriesColours.Of(g.Colour, comparison.Groups.Count)));
        page.Heading("Trials", "trials")
            .Paragraph("Every run with the settings it was trained with; the settings that differ between runs have a column each. "
                + "A trial's name opens its run folder.")
            .Raw(HtmlTable.Render("runs", ComparisonColumns.Trials(comparison), comparison.Rows,
                link: (r, c) => c.Name == "trial" ? Href(folder, Path.Combine(folder, r.Folder)) : null, colour: r => SeriesColours.Of(r.Colour, comparison.Groups.Count),
                extra: ("plots", r => PlotLinks(folder, r.Folder))));
        if (charts.Count > 0) page.Heading("Charts", "charts");
        foreach (var chart in charts)
            page.Raw($"<figure><h3>{E(chart.Heading)}</h3>{InlineSvg(chart.Svg)}<figcaption>{E(chart.Caption)} "
                + $"<a href=\"{E(Href(folder, chart.Png))}\">PNG</a> · <a href=\"{E(Href(folder, chart.Svg))}\">SVG</a></figcaption></figure>");
        AtomicFile.WriteAllText(new GridFolder(folder).Report, page.Render());
    }

    private static string Meta(Comparison comparison)
    {
        var direction = comparison.Rows.Select(r => r.Monitor).OfType<string>().Distinct().ToList() is [var only]
            ? $"{only}: {(MetricKey.Parse(only).HigherIsBetter ? "higher" : "lower")} is better."
            : "The runs watch different metrics; each cell names its own.";
        return string.Create(CultureInfo.InvariantCulture,
            $"{comparison.Rows.Count} runs in {comparison.Groups.Count} groups. {direction} Written {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
    }

    private static string PlotLinks(string folder, string runFolder)
    {
        var plots = RunFolder.At(Path.Combine(folder, runFolder)).Plots;
        if (!Directory.Exists(plots)) return "";
        return string.Join(" · ", Directory.GetFiles(plots, "*.png").Order(StringComparer.Ordinal)
            .Select(p => $"<a href=\"{E(Href(folder, p))}\">{E(Path.GetFileNameWithoutExtension(p))}</a>"));
    }

    private static string InlineSvg(string file)
    {
        var svg = File.ReadAllText(file);
        return svg[Math.Max(0, svg.IndexOf("<svg", StringComparison.Ordinal))..];
    }
}
