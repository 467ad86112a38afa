using System.Globalization;
using System.Text;
using static RnnRunner.Core.Reports.HtmlPage;

namespace RnnRunner.Core.Results;

/// <summary>
/// A run's monitored metric after each epoch as a small inline SVG line (a sparkline), its best epoch marked: what
/// people look at first in a list of runs — did it learn, did it plateau, did it fall apart.
/// </summary>
public static class Sparkline
{
    public const int Width = 120, Height = 28, Pad = 3;

    /// <summary>The index table's trailing column: the curve, with its numbers in a tooltip.</summary>
    public static (string Heading, Func<IndexedRun, string> Html) Column { get; } = ("curve", Of);

    public static string Of(IndexedRun run)
    {
        var curve = run.Curve;
        if (curve.Count == 0 || run.Monitor is null) return "";
        var (low, high) = (curve.Min(), curve.Max());
        var span = high - low > 1e-12 ? high - low : 1;
        double X(int i) => curve.Count == 1 ? Width / 2.0 : Pad + i * (Width - 2.0 * Pad) / (curve.Count - 1);
        double Y(double v) => high - low > 1e-12 ? Pad + (high - v) / span * (Height - 2.0 * Pad) : Height / 2.0;
        var best = Enumerable.Range(0, curve.Count).OrderBy(i => run.HigherIsBetter ? -curve[i] : curve[i]).ThenBy(i => i).First();
        var points = new StringBuilder();
        for (var i = 0; i < curve.Count; i++) points.Append(CultureInfo.InvariantCulture, $"{X(i):F1},{Y(curve[i]):F1} ");
        var title = string.Create(CultureInfo.InvariantCulture,
            $"{run.Monitor} per epoch: {curve[0]:G4} at epoch 1, {curve[^1]:G4} at epoch {curve.Count}; best {curve[best]:G4} at epoch {best + 1}");
        return string.Create(CultureInfo.InvariantCulture,
            $"<svg class=\"spark\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{E(title)}\"><title>{E(title)}</title>"
            + $"<polyline points=\"{points.ToString().TrimEnd()}\"/><circle cx=\"{X(best):F1}\" cy=\"{Y(curve[best]):F1}\" r=\"2.5\"/></svg>");
    }
}
