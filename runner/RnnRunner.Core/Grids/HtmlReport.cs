using RnnRunner.Core.Storage;
using System.Globalization;
using System.Net;
using System.Text;
using RnnRunner.Core.Results;

namespace RnnRunner.Core.Grids;

/// <summary>
/// report.html: one self-contained file (charts inlined as SVG, a few lines of script to sort the table by any
/// column) that opens from disk with no server.
/// </summary>
public static class HtmlReport
{
    /// <param name="charts">The chart files to inline (their SVGs); none gives a report with the table alone.</param>
    public static void Write(string folder, string title, IReadOnlyList<Comparison.Row> rows, IReadOnlyList<string> charts)
    {
        var names = new GridFolder(folder);
        charts = charts.Where(c => c.EndsWith(".svg", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<title>{E(title)}</title><style>");
        html.AppendLine("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}");
        html.AppendLine("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,td:nth-child(2){text-align:left}");
        html.AppendLine("th{background:#f0f0f0;cursor:pointer}th:hover{background:#e0e0e0}.charts svg{max-width:100%;height:auto}</style></head><body>");
        html.AppendLine($"<h1>{E(title)}</h1><p>{rows.Count} runs. Click a column heading to sort.</p>");
        html.AppendLine($"<table id=\"runs\"><thead><tr><th>trial</th><th>settings</th><th>status</th><th>parameters</th><th>best epoch</th><th>monitor</th><th>best</th><th>{E(Comparison.TestHeading(rows))}</th><th>s / epoch</th></tr></thead><tbody>");
        foreach (var r in rows)
            html.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"<tr><td>{E(r.Trial)}</td><td>{E(r.Settings)}</td><td>{E(r.Status)}</td><td>{r.Parameters}</td><td>{r.BestEpoch}</td><td>{E(r.Monitor ?? "")}</td><td>{r.Best:F4}</td><td>{E(Comparison.TestCell(r, Comparison.TestHeading(rows)))}</td><td>{r.SecondsPerEpoch:F1}</td></tr>"));
        html.AppendLine("</tbody></table><div class=\"charts\">");
        foreach (var chart in charts)
        {
            var svg = File.ReadAllText(chart);
            html.AppendLine($"<h2>{E(Path.GetFileNameWithoutExtension(chart))}</h2>");
            html.AppendLine(svg[Math.Max(0, svg.IndexOf("<svg", StringComparison.Ordinal))..]);
        }
        html.AppendLine("</div><script>");
        html.AppendLine("document.querySelectorAll('#runs th').forEach((th,i)=>th.onclick=()=>{const b=document.querySelector('#runs tbody');");
        html.AppendLine("const up=th.dataset.up!=='1';th.dataset.up=up?'1':'0';const v=t=>{const n=parseFloat(t);return isNaN(n)?t:n};");
        html.AppendLine("[...b.rows].sort((x,y)=>{const a=v(x.cells[i].textContent),c=v(y.cells[i].textContent);return (a>c?1:a<c?-1:0)*(up?1:-1)}).forEach(r=>b.appendChild(r))});");
        html.AppendLine("</script></body></html>");
        AtomicFile.WriteAllText(names.Report, html.ToString());
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
