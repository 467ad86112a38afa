using System.Net;
using System.Text;

namespace RnnRunner.Core.Reports;

/// <summary>
/// The self-contained HTML pages RnnRunner writes (a comparison's report.html, results/index.html): one file, no
/// server, nothing fetched — styles and the few lines of script that sort tables on a click and filter them from a
/// search box are inlined.
/// </summary>
public sealed class HtmlPage
{
    private readonly StringBuilder _body = new();
    private readonly string _title;

    public HtmlPage(string title, string? description)
    {
        _title = title;
        _body.AppendLine($"<h1>{E(title)}</h1>");
        if (!string.IsNullOrWhiteSpace(description)) _body.AppendLine($"<p class=\"description\">{E(description.Trim())}</p>");
    }

    public HtmlPage Heading(string text, string? id = null)
    {
        _body.AppendLine(id is null ? $"<h2>{E(text)}</h2>" : $"<h2 id=\"{E(id)}\">{E(text)}</h2>");
        return this;
    }

    public HtmlPage Paragraph(string text, string? cssClass = null)
    {
        _body.AppendLine(cssClass is null ? $"<p>{E(text)}</p>" : $"<p class=\"{E(cssClass)}\">{E(text)}</p>");
        return this;
    }

    /// <summary>Markup the caller has built and escaped itself (an inlined SVG chart, a table).</summary>
    public HtmlPage Raw(string html)
    {
        _body.AppendLine(html);
        return this;
    }

    /// <summary>A search box that hides the rows of table <paramref name="tableId"/> not containing every word typed.</summary>
    public HtmlPage SearchBox(string tableId, string placeholder)
    {
        _body.AppendLine($"<p><input type=\"search\" class=\"search\" data-table=\"{E(tableId)}\" placeholder=\"{E(placeholder)}\" "
            + $"aria-label=\"{E(placeholder)}\" size=\"50\"> <span class=\"shown\" data-table=\"{E(tableId)}\"></span></p>");
        return this;
    }

    public string Render() => $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{E(_title)}</title>
        <style>{Style}</style></head>
        <body>
        {_body}<script>{Script}</script>
        </body></html>

        """;

    /// <summary>A relative link from <paramref name="from"/> (a folder) to <paramref name="to"/>, each path segment URL-encoded; a folder's ends in '/'.</summary>
    public static string Href(string from, string to)
    {
        var relative = Path.GetRelativePath(from, to).Split(Path.DirectorySeparatorChar);
        var href = string.Join('/', relative.Select(s => s is ".." or "." ? s : Uri.EscapeDataString(s)));
        return Directory.Exists(to) ? href + "/" : href;
    }

    /// <summary>HTML-escapes <paramref name="text"/>.</summary>
    public static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Style = """
        body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}
        .description{max-width:60em;line-height:1.4}.meta{color:#555}
        .wide{overflow-x:auto}table{border-collapse:collapse;margin:1em 0}td:first-child{white-space:nowrap}th,td{border:1px solid #ccc;padding:4px 8px;text-align:right;vertical-align:top}
        th.text,td.text{text-align:left}th{background:#f0f0f0;cursor:pointer;user-select:none;white-space:nowrap}th:hover{background:#e0e0e0}
        th[aria-sort=ascending]::after{content:" \25B2"}th[aria-sort=descending]::after{content:" \25BC"}
        .swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.4em;vertical-align:-.05em}
        tr.status-failed td{background:#fdecea}tr.status-interrupted td,tr.status-running td{background:#fff4e0}tr.status-pruned td{background:#f3f3f3;color:#555}
        svg.spark{vertical-align:middle}svg.spark polyline{fill:none;stroke:#1f77b4;stroke-width:1.5}svg.spark circle{fill:#d62728}
        figure{margin:2em 0}figure svg{max-width:100%;height:auto}figcaption{color:#444;max-width:60em}
        """;

    // Sorting: numbers (data-sort) before text, a second click reverses. Search: every typed word must appear in the row.
    private const string Script = """
        document.querySelectorAll('table.sortable th').forEach(th=>th.addEventListener('click',()=>{const i=th.cellIndex;
          const table=th.closest('table'),body=table.tBodies[0],up=th.getAttribute('aria-sort')!=='ascending';
          table.querySelectorAll('th').forEach(h=>h.removeAttribute('aria-sort'));th.setAttribute('aria-sort',up?'ascending':'descending');
          const key=r=>{const c=r.cells[i],n=c.dataset.sort;return n!==undefined&&n!==''?[0,parseFloat(n)]:[1,c.textContent.trim().toLowerCase()]};
          [...body.rows].sort((x,y)=>{const a=key(x),b=key(y);const d=a[0]-b[0]||(a[1]<b[1]?-1:a[1]>b[1]?1:0);return up?d:-d})
            .forEach(r=>body.appendChild(r));}));
        document.querySelectorAll('input.search').forEach(box=>{const table=document.getElementById(box.dataset.table),
          shown=document.querySelector('span.shown[data-table="'+box.dataset.table+'"]');
          const filter=()=>{const words=box.value.toLowerCase().split(/\s+/).filter(w=>w);let n=0;
            for(const r of table.tBodies[0].rows){const hit=words.every(w=>r.textContent.toLowerCase().includes(w));r.hidden=!hit;if(hit)n++}
            shown.textContent=n+' of '+table.tBodies[0].rows.length+' shown'};
          box.addEventListener('input',filter);filter();});
        """;
}
