using System.Globalization;
using MathNet.Numerics.Distributions;

namespace RnnRunner.Core.Comparisons;

/// <summary>A metric over a seed group's runs: mean, sample standard deviation and the 95 % confidence interval's half-width.</summary>
/// <param name="HalfWidth">t(0.975, n − 1) · s / √n (Student's t over seeds); null for one seed.</param>
public sealed record SeedSample(IReadOnlyList<double> Values, double Mean, double? Std, double? HalfWidth)
{
    public int N => Values.Count;

    public static SeedSample? Of(IEnumerable<double?> values)
    {
        var v = values.OfType<double>().ToList();
        if (v.Count == 0) return null;
        var mean = v.Average();
        if (v.Count < 2) return new SeedSample(v, mean, null, null);
        var std = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1));
        return new SeedSample(v, mean, std, StudentT.InvCDF(0, 1, v.Count - 1, 0.975) * std / Math.Sqrt(v.Count));
    }

    /// <summary>"0.9975 ± 0.0314 (95 % CI, n = 2)", or the value alone for one seed.</summary>
    public string Describe(string format = "F4") => HalfWidth is { } h
        ? string.Create(CultureInfo.InvariantCulture, $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {h.ToString(format, CultureInfo.InvariantCulture)} (95 % CI, n = {N})")
        : Mean.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>Welch's two-sample t test over seeds: the statistic, the Welch–Satterthwaite degrees of freedom and the two-sided p-value.</summary>
public sealed record WelchTest(double T, double DegreesOfFreedom, double P)
{
    /// <summary>The test of <paramref name="a"/> against <paramref name="b"/>; null unless each has two seeds or more.</summary>
    public static WelchTest? Of(SeedSample a, SeedSample b)
    {
        if (a.Std is not { } sa || b.Std is not { } sb) return null;
        var (va, vb) = (sa * sa / a.N, sb * sb / b.N);
        if (va + vb == 0) return new WelchTest(a.Mean == b.Mean ? 0 : double.PositiveInfinity, a.N + b.N - 2, a.Mean == b.Mean ? 1 : 0);
        var t = (a.Mean - b.Mean) / Math.Sqrt(va + vb);
        var df = (va + vb) * (va + vb) / (va * va / (a.N - 1) + vb * vb / (b.N - 1));
        return new WelchTest(t, df, 2 * (1 - StudentT.CDF(0, 1, df, Math.Abs(t))));
    }
}

/// <summary>
/// The plain verdict on the top group against another, by Welch's test over their seeds at the 5 % level: whether the
/// difference is real, within seed noise, or cannot be told — each with what to do next.
/// </summary>
public static class Verdict
{
    public const double Level = 0.05;

    public static string Of(SeedSample top, SeedSample other)
    {
        if (top.N < 2 || other.N < 2)
            return top.N < 2 && other.N < 2 ? "one seed each: cannot tell — add `seeds: [1, 2, 3]`"
                : "one seed on one side: cannot tell — add `seeds: [1, 2, 3]`";
        var test = WelchTest.Of(top, other)!;
        var p = P(test.P);
        return test.P < Level ? $"top is better ({p})" : $"within seed noise ({p}): add seeds";
    }

    private static string P(double p) => p < 0.001 ? "p < 0.001" : string.Create(CultureInfo.InvariantCulture, $"p = {p:0.###}");
}

/// <summary>
/// Two runs judged on the same test examples, example by example: McNemar's exact test on which examples only one of
/// them classifies correctly (classification), or a paired t test on their absolute errors (regression).
/// </summary>
/// <param name="OnlyA">Classification: examples only A got right; regression: examples where A's error is smaller.</param>
public sealed record PairedTest(string Name, int Examples, int OnlyA, int OnlyB, double P)
{
    /// <summary>McNemar's exact (binomial) test: under no difference, each discordant example is A's or B's with probability ½.</summary>
    public static PairedTest McNemar(IReadOnlyList<bool> correctA, IReadOnlyList<bool> correctB)
    {
        var (onlyA, onlyB) = (0, 0);
        for (var i = 0; i < correctA.Count; i++)
        {
            if (correctA[i] && !correctB[i]) onlyA++;
            if (!correctA[i] && correctB[i]) onlyB++;
        }
        var discordant = onlyA + onlyB;
        var p = discordant == 0 ? 1 : Math.Min(1, 2 * Binomial.CDF(0.5, discordant, Math.Min(onlyA, onlyB)));
        return new PairedTest("McNemar's exact test", correctA.Count, onlyA, onlyB, p);
    }

    /// <summary>A paired t test on the examples' absolute errors (A's minus B's).</summary>
    public static PairedTest PairedT(IReadOnlyList<double> errorsA, IReadOnlyList<double> errorsB)
    {
        var d = errorsA.Zip(errorsB, (a, b) => a - b).ToList();
        var (onlyA, onlyB) = (d.Count(x => x < 0), d.Count(x => x > 0));
        var mean = d.Average();
        var sd = d.Count > 1 ? Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Count - 1)) : 0;
        var p = sd == 0 ? (mean == 0 ? 1 : 0) : 2 * (1 - StudentT.CDF(0, 1, d.Count - 1, Math.Abs(mean / (sd / Math.Sqrt(d.Count)))));
        return new PairedTest("a paired t test on the absolute errors", d.Count, onlyA, onlyB, p);
    }

    /// <summary>The plain verdict: which run is better on these examples, or no difference beyond chance.</summary>
    public string Verdict(bool classification)
    {
        var p = P < 0.001 ? "p < 0.001" : string.Create(CultureInfo.InvariantCulture, $"p = {P:0.###}");
        var counts = classification
            ? string.Create(CultureInfo.InvariantCulture, $"{OnlyB:N0} only B got right, {OnlyA:N0} only A")
            : string.Create(CultureInfo.InvariantCulture, $"B closer on {OnlyB:N0}, A on {OnlyA:N0}");
        var who = P >= Comparisons.Verdict.Level ? "no difference beyond chance" : OnlyB > OnlyA ? "B is better" : "A is better";
        return string.Create(CultureInfo.InvariantCulture, $"on the same {Examples:N0} test targets: {who} ({Name}, {p}; {counts})");
    }
}
