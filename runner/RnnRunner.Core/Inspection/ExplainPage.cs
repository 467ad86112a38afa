using System.Globalization;
using System.Text;
using System.Text.Json;
using RnnRunner.Core.Reports;

namespace RnnRunner.Core.Inspection;

/// <summary>
/// explain's page: one self-contained HTML file (nothing fetched) in the report style — each word coloured by its part
/// in the prediction, the prediction after each word as a line, and each recurrent layer's hidden state and gates as
/// heatmaps (units × words, drawn on canvases from the numbers inlined as JSON, so a 500-word review stays a small file).
/// </summary>
public static class ExplainPage
{
    public static string Render(Explanation e, string runName, string weights)
    {
        var page = new HtmlPage($"Why {runName} said {e.Answer}",
            string.Create(CultureInfo.InvariantCulture, $"{Capital(e.Origin)}: {e.Words.Count} {e.Item}s")
            + (e.PaddingSteps > 0 ? string.Create(CultureInfo.InvariantCulture, $" (and {e.PaddingSteps} padding steps, left out)") : "")
            + string.Create(CultureInfo.InvariantCulture, $". The model's {e.Explained} is {e.Final:F4}")
            + (e.Label is { } label ? $"; the true label is {label}." : ".") + $" {weights}; computed on the {e.Engine} engine.");
        page.Heading($"Each {e.Item}'s part");
        if (e.Gradients is { } c)
        {
            page.Paragraph($"Integrated gradients: how much each word moved the {e.Explained} away from a text of the same length made of padding "
                + "(each word's embedding replaced by the padding embedding), taken along the straight path between the two. "
                + "Blue words raised it, red ones lowered it; the stronger the colour, the larger the part. Hover a word for its value.");
            page.Raw(Words(e, w => w.Gradient ?? 0, "integrated"));
            page.Paragraph(string.Create(CultureInfo.InvariantCulture,
                $"The parts add up to {TraceWriter.Number(c.Sum)}; the {e.Explained} is {c.Output:F4} for the text and {c.Baseline:F4} for the padding, ")
                + string.Create(CultureInfo.InvariantCulture, $"a difference of {TraceWriter.Number(c.Difference)}: complete to {c.Gap * 100:0.00} % ({c.Points} points on the path).")
                + (c.Gap > IntegratedGradients.Tolerance ? " That is short of 1 %: read the colours as approximate." : ""));
        }
        if (e.Gradients is null)
            page.Paragraph("No integrated gradients here: they walk each word's embedding towards the padding embedding, and this model reads feature values, not words.");
        var item = e.Item;
        page.Paragraph($"Occlusion{(e.Gradients is null ? "" : ", a check that needs no gradients")}: the {e.Explained} of the whole sequence less the "
            + $"{e.Explained} with that {item} left out (the rest closing up). Blue {item}s raised it, red ones lowered it.");
        page.Raw(Words(e, w => w.Occlusion, "occlusion"));
        page.Heading($"The prediction after each {item}");
        page.Paragraph($"The model's {e.Explained} had the sequence ended at each {item} (the model run on the {item}s up to it, padded as the data pads)."
            + (e.IsProbability ? $" The dashed line is 0.5; a red ring marks each {item} where the answer changed sides." : ""));
        page.Raw(AfterEachWord(e));
        foreach (var (layer, n) in e.Layers.Select((l, n) => (l, n)))
        {
            page.Heading($"{layer.Path} {layer.Cell}{(layer.Direction is { } d ? $", {d} direction" : "")}");
            page.Paragraph($"Each heatmap is units (rows) × {e.Item}s (columns). Units are sorted by how closely their hidden state follows the "
                + $"prediction after each {e.Item} (|correlation|, strongest on top), the same order in every heatmap of this layer. "
                + "Tanh quantities run from red (−1) through white (0) to blue (+1); gates from white (0) to dark blue (1).");
            page.Raw(TopUnits(e, layer));
            foreach (var (quantity, q) in layer.Quantities.Select((x, q) => (x, q)))
                page.Raw($"<figure class=\"heat\"><h3>{HtmlPage.E(quantity.Meaning)}</h3><canvas data-layer=\"{n}\" data-quantity=\"{q}\" "
                    + $"aria-label=\"{HtmlPage.E(quantity.Meaning)}\"></canvas></figure>");
        }
        page.Raw($"<script type=\"application/json\" id=\"explanation\">{Json(e)}</script><script>{Draw}</script>");
        return page.Render().Replace("</style>", ExtraStyle + "</style>", StringComparison.Ordinal);
    }

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>The words as text, each on a background coloured by its part (<paramref name="part"/>: by which method).</summary>
    private static string Words(Explanation e, Func<ExplainedWord, double> part, string method)
    {
        var largest = Math.Max(1e-9, e.Words.Max(w => Math.Abs(part(w))));
        var html = new StringBuilder($"<p class=\"words\" data-method=\"{method}\">");
        foreach (var w in e.Words)
        {
            var value = part(w);
            var strength = Math.Abs(value) / largest;
            var colour = value >= 0 ? $"rgba(31,119,180,{strength * 0.85:F2})" : $"rgba(214,39,40,{strength * 0.85:F2})";
            html.Append(CultureInfo.InvariantCulture, $"<span class=\"word\" style=\"background:{colour}\" title=\"{HtmlPage.E(w.Word)}: {TraceWriter.Number(value)}\">")
                .Append(HtmlPage.E(w.Word)).Append("</span> ");
        }
        return html.Append("</p>").ToString();
    }

    /// <summary>The prediction after each word as a line over the words, 0.5 dashed, the words along the bottom.</summary>
    private static string AfterEachWord(Explanation e)
    {
        var n = e.Words.Count;
        var step = Math.Clamp(1100.0 / Math.Max(1, n - 1), 3, 40);
        var (width, height, left, top) = (50.0 + step * Math.Max(1, n - 1) + 20, 260.0, 50.0, 20.0);
        var values = e.Words.Select(w => w.After).ToList();
        // A probability on 0…1 with its 0.5 line; a value on its own range (a little margin, never flat).
        var (low, high) = e.IsProbability ? (Math.Min(0, values.Min()), Math.Max(1, values.Max()))
            : (values.Min() - 0.05 * Math.Max(1e-9, values.Max() - values.Min()), values.Max() + 0.05 * Math.Max(1e-9, values.Max() - values.Min()));
        double X(int i) => left + i * step;
        double Y(double v) => top + (high - v) / (high - low) * 180;
        var svg = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"<figure><svg class=\"after\" width=\"{width:F0}\" height=\"{height:F0}\" viewBox=\"0 0 {width:F0} {height:F0}\" role=\"img\" aria-label=\"prediction after each word\">"));
        if (e.IsProbability)
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" x2=\"{X(n - 1)}\" y1=\"{Y(0.5):F1}\" y2=\"{Y(0.5):F1}\" class=\"half\"/>");
        foreach (var v in e.IsProbability ? new[] { low, 0.5, high } : [low, (low + high) / 2, high])
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{Y(v) + 4:F1}\" text-anchor=\"end\">{v:0.##}</text>");
        svg.Append("<polyline points=\"").AppendJoin(' ', values.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{X(i):F1},{Y(v):F1}")))
            .Append("\"/>");
        // Where the answer changed sides: each word at which the probability crossed 0.5, ringed and named.
        if (e.IsProbability)
            for (var i = 1; i < n; i++)
                if (values[i - 1] >= 0.5 != values[i] >= 0.5)
                    svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"cross\" cx=\"{X(i):F1}\" cy=\"{Y(values[i]):F1}\" r=\"4\"><title>crossed 0.5 at {HtmlPage.E(e.Words[i].Word)}</title></circle>");
        var every = Math.Max(1, (int)Math.Ceiling(14 / step));
        for (var i = 0; i < n; i += every)
            svg.Append(CultureInfo.InvariantCulture,
                $"<text class=\"w\" transform=\"translate({X(i):F1},{top + 192:F1}) rotate(60)\">{HtmlPage.E(Cut(e.Words[i].Word))}</text>");
        return svg.Append("</svg>").Append(every > 1 ? $"<figcaption>Every {(every == 2 ? "other" : Ordinal(every))} {e.Item} is written under the line.</figcaption>" : "")
            .Append("</figure>").ToString();
    }

    /// <summary>3rd, 4th, 11th, 22nd: the English ordinal of <paramref name="n"/>.</summary>
    internal static string Ordinal(int n) => n + (n % 100 is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });

    /// <summary>The top three units' hidden state over the words, as lines with their correlation.</summary>
    private static string TopUnits(Explanation e, ExplainedLayer layer)
    {
        var h = layer.Quantities[0];
        var rows = h.Units.Take(3).ToList();
        var n = e.Words.Count;
        var step = Math.Clamp(1100.0 / Math.Max(1, n - 1), 3, 40);
        var width = 50 + step * Math.Max(1, n - 1) + 140;
        double X(int i) => 50 + i * step;
        static double Y(double v) => 10 + (1 - v) / 2 * 100;
        string[] colours = ["#1f77b4", "#ff7f0e", "#2ca02c"];
        var svg = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"<svg class=\"units\" width=\"{width:F0}\" height=\"125\" viewBox=\"0 0 {width:F0} 125\" role=\"img\" aria-label=\"top units\">"));
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"50\" x2=\"{X(n - 1):F1}\" y1=\"{Y(0)}\" y2=\"{Y(0)}\" class=\"half\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"44\" y=\"{Y(1) + 4}\" text-anchor=\"end\">1</text><text x=\"44\" y=\"{Y(-1) + 4}\" text-anchor=\"end\">−1</text>");
        foreach (var (row, k) in rows.Select((r, k) => (r, k)))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<polyline style=\"stroke:{colours[k]}\" points=\"")
                .AppendJoin(' ', row.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{X(i):F1},{Y(double.IsNaN(v) ? 0 : v):F1}"))).Append("\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(n - 1) + 8:F1}\" y=\"{20 + 16 * k}\" style=\"fill:{colours[k]}\">unit {layer.Order[k]} (r = {TraceWriter.Number(layer.Correlations[k], 2)})</text>");
        }
        return $"<figure><h3>The three units that follow the prediction most closely (h)</h3>{svg}</svg></figure>";
    }

    private static string Cut(string word) => word.Length <= 14 ? word : word[..13] + "…";

    /// <summary>The numbers the canvases are drawn from, rounded to four places.</summary>
    private static string Json(Explanation e) => JsonSerializer.Serialize(new
    {
        words = e.Words.Select(w => w.Word),
        layers = e.Layers.Select(l => new
        {
            order = l.Order,
            quantities = l.Quantities.Select(q => new { name = q.Name, low = q.Low, units = q.Units.Select(u => u.Select(v => double.IsNaN(v) ? (double?)null : Math.Round(v, 4))) }),
        }),
    }).Replace("</", "<\\/", StringComparison.Ordinal);

    private const string ExtraStyle = """
        .words{line-height:2;max-width:70em}.word{padding:2px 3px;border-radius:3px}
        svg.after polyline,svg.units polyline{fill:none;stroke:#1f77b4;stroke-width:1.8}svg circle.cross{fill:none;stroke:#d62728;stroke-width:2}svg line.half{stroke:#999;stroke-dasharray:4 3}
        svg text{font-size:11px;fill:#444}figure.heat canvas{image-rendering:pixelated;border:1px solid #ddd;max-width:100%}
        """;

    // Draws each heatmap: one cell per (unit, word), as wide as the line chart's step (2 to 40 px) and 9 px high (5 with
    // more than 32 units); the unit numbers down the left and, where cells are wide enough, the words along the bottom.
    private const string Draw = """
        const data=JSON.parse(document.getElementById('explanation').textContent);
        const tanh=v=>{const t=Math.max(-1,Math.min(1,v));return t>=0?[255-t*224,255-t*136,255-t*75]:[255+t*41,255+t*216,255+t*215]};
        const gate=v=>{const t=Math.max(0,Math.min(1,v));return[255-t*247,255-t*207,255-t*148]};
        document.querySelectorAll('canvas[data-layer]').forEach(c=>{const layer=data.layers[c.dataset.layer],q=layer.quantities[c.dataset.quantity];
          const rows=q.units.length,cols=data.words.length,w=Math.max(2,Math.min(40,Math.floor(1100/Math.max(1,cols-1)))),h=rows>32?5:9;
          const left=50,words=w>=9?70:0;c.width=left+cols*w;c.height=rows*h+words;const g=c.getContext('2d');const colour=q.low<0?tanh:gate;
          g.fillStyle='#fff';g.fillRect(0,0,c.width,c.height);
          q.units.forEach((row,r)=>row.forEach((v,t)=>{const[R,G,B]=v===null?[200,200,200]:colour(v);
            g.fillStyle=`rgb(${R|0},${G|0},${B|0})`;g.fillRect(left+t*w,r*h,w,h)}));
          g.fillStyle='#444';g.font='10px sans-serif';g.textAlign='right';
          layer.order.forEach((u,r)=>{if(h>=9||r%4===0)g.fillText('unit '+u,left-4,r*h+h-1)});
          if(words){g.textAlign='left';data.words.forEach((word,t)=>{g.save();g.translate(left+t*w+w/2-3,rows*h+6);g.rotate(Math.PI/3);
            g.fillText(word.length>12?word.slice(0,11)+'…':word,0,0);g.restore()})}});
        """;
}
