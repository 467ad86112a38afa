using System.Globalization;
using System.Text;
using static RnnRunner.Core.Reports.HtmlPage;

namespace RnnRunner.Core.Reports;

/// <summary>A sortable table of <see cref="Column{T}"/>s: numeric cells carry their value for sorting, text cells are left-aligned.</summary>
public static class HtmlTable
{
    /// <param name="link">Where a row's cell of a given column links to (relative), or null for plain text.</param>
    /// <param name="colour">A colour swatch before a row's first cell (its series colour), or null for none.</param>
    /// <param name="extra">Extra trailing cells (already-escaped HTML) with their headings.</param>
    /// <param name="rowClass">A CSS class for a row (e.g. its status), or null for none.</param>
    public static string Render<T>(string id, IReadOnlyList<Column<T>> columns, IEnumerable<T> rows,
        Func<T, Column<T>, string?>? link = null, Func<T, string?>? colour = null, (string Heading, Func<T, string> Html)? extra = null,
        Func<T, string?>? rowClass = null)
    {
        var html = new StringBuilder($"<div class=\"wide\"><table id=\"{E(id)}\" class=\"sortable\"><thead><tr>");
        foreach (var c in columns)
            html.Append(CultureInfo.InvariantCulture, $"<th class=\"{(c.Number is null ? "text" : "number")}\" data-name=\"{E(c.Name)}\">{E(c.Heading)}</th>");
        if (extra is { } e) html.Append(CultureInfo.InvariantCulture, $"<th class=\"text\">{E(e.Heading)}</th>");
        html.AppendLine("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append(rowClass?.Invoke(row) is { } css ? $"<tr class=\"{E(css)}\">" : "<tr>");
            for (var i = 0; i < columns.Count; i++)
            {
                var c = columns[i];
                var text = E(c.Text(row));
                if (link?.Invoke(row, c) is { } href) text = $"<a href=\"{E(href)}\">{text}</a>";
                if (i == 0 && colour?.Invoke(row) is { } hex) text = $"<span class=\"swatch\" style=\"background:{E(hex)}\"></span>{text}";
                var sort = c.Number?.Invoke(row) is { } n ? $" data-sort=\"{n.ToString("R", CultureInfo.InvariantCulture)}\"" : "";
                html.Append(CultureInfo.InvariantCulture, $"<td class=\"{(c.Number is null ? "text" : "number")}\"{sort}>{text}</td>");
            }
            if (extra is { } x) html.Append(CultureInfo.InvariantCulture, $"<td class=\"text\">{x.Html(row)}</td>");
            html.AppendLine("</tr>");
        }
        return html.Append("</tbody></table></div>").ToString();
    }
}
