namespace RnnRunner.Core.Search;

/// <summary>One searched parameter's share of the importance (the shares of a study sum to 1).</summary>
public sealed record Importance(string Path, double Share);

/// <summary>
/// Which hyperparameter mattered: PED-ANOVA (Watanabe et al., IJCAI 2023; what optuna-dashboard shows), on the
/// completed trials. For each parameter, the distribution of its values among the best trials (the top 10 %, at least
/// two) is compared with its distribution among all of them by the Pearson divergence
/// ∫ (p_top(x) / p_all(x) − 1)² p_all(x) dx: a parameter whose good values are spread like all its values did not
/// matter; one whose good values crowd into a corner did. Real and whole-number parameters are estimated with a
/// Gaussian kernel density on their sampling scale (log for log-sampled ones) over 50 points; choices by counts.
/// Pruned trials are left out: their scores are at a smaller budget than the completed trials'.
/// </summary>
public static class ParameterImportance
{
    public const double TopQuantile = 0.1;

    /// <summary>Fewer completed trials than this tell nothing: the best 10 % would be one or two trials, often tied.</summary>
    public const int MinimumTrials = 8;
    private const int GridPoints = 50;

    /// <summary>Each parameter's share, largest first; empty with fewer than <see cref="MinimumTrials"/> completed trials.</summary>
    /// <param name="points">Each completed trial's point (values in the space's order) and its objective, oriented so lower is better.</param>
    public static IReadOnlyList<Importance> Of(IReadOnlyList<SearchParameter> space, IReadOnlyList<(ParameterPoint Point, double Oriented)> points)
    {
        if (points.Count < MinimumTrials || space.Count == 0) return [];
        var ranked = points.OrderBy(p => p.Oriented).ToList();
        var top = ranked.Take(Math.Max(2, (int)Math.Ceiling(TopQuantile * ranked.Count))).ToList();
        var raw = space.Select((p, d) => Divergence(p.Distribution, [.. top.Select(t => t.Point.Values[d])], [.. ranked.Select(t => t.Point.Values[d])])).ToList();
        var total = raw.Sum();
        return [.. space.Select((p, d) => new Importance(p.Path, total > 0 ? raw[d] / total : 1.0 / space.Count)).OrderByDescending(i => i.Share)];
    }

    /// <summary>The Pearson divergence of the top trials' distribution of a parameter from all trials' (≥ 0).</summary>
    public static double Divergence(Distribution distribution, IReadOnlyList<double> top, IReadOnlyList<double> all)
    {
        var (pTop, pAll) = distribution is ChoiceDistribution choice
            ? (Counts(top, choice.Values.Count), Counts(all, choice.Values.Count))
            : (Density([.. top.Select(v => Unit(distribution, v))]), Density([.. all.Select(v => Unit(distribution, v))]));
        return pAll.Select((q, i) => q > 0 ? pTop[i] * pTop[i] / q : 0).Sum() - 1;
    }

    /// <summary>A value on its sampling scale in [0, 1] (log for log-sampled parameters).</summary>
    private static double Unit(Distribution distribution, double value) => distribution switch
    {
        FloatDistribution { Log: true } f => (Math.Log(value) - Math.Log(f.Low)) / (Math.Log(f.High) - Math.Log(f.Low)),
        FloatDistribution f => f.High > f.Low ? (value - f.Low) / (f.High - f.Low) : 0.5,
        IntDistribution { Log: true } i => (Math.Log(value) - Math.Log(i.Low)) / Math.Max(1e-12, Math.Log(i.High) - Math.Log(i.Low)),
        IntDistribution i => i.High > i.Low ? (value - i.Low) / (double)(i.High - i.Low) : 0.5,
        _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution.GetType().Name),
    };

    /// <summary>A Gaussian kernel density (Scott's bandwidth, at least 0.05) on 50 points of [0, 1], as probabilities summing to 1.</summary>
    private static double[] Density(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        var std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        var bandwidth = Math.Max(0.05, 1.06 * std * Math.Pow(values.Count, -0.2));
        var grid = Enumerable.Range(0, GridPoints).Select(i => (i + 0.5) / GridPoints).ToArray();
        var density = grid.Select(x => values.Sum(v => Math.Exp(-0.5 * Math.Pow((x - v) / bandwidth, 2)))).ToArray();
        var sum = density.Sum();
        return [.. density.Select(d => d / sum)];
    }

    /// <summary>Each choice's share, with one pseudo-count each so that no choice has probability 0.</summary>
    private static double[] Counts(IReadOnlyList<double> indices, int choices)
    {
        var counts = new double[choices];
        foreach (var i in indices) counts[(int)i]++;
        return [.. counts.Select(c => (c + 1) / (indices.Count + choices))];
    }
}
