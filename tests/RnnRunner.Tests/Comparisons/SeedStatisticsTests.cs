using RnnRunner.Core.Comparisons;

namespace RnnRunner.Tests.Comparisons;

/// <summary>The seed statistics against values computed by hand (t quantiles from tables, Welch's test step by step).</summary>
public class SeedStatisticsTests
{
    [Fact]
    public void A_group_s_interval_is_Student_t_over_its_seeds()
    {
        var two = SeedSample.Of([0.9, 1.0])!;
        var five = SeedSample.Of([1, 2, 3, 4, 5])!;

        Assert.Equal(0.95, two.Mean, 12);
        Assert.Equal(Math.Sqrt(0.005), two.Std!.Value, 12);
        Assert.Equal(12.706204736 * Math.Sqrt(0.005) / Math.Sqrt(2), two.HalfWidth!.Value, 6); // t(0.975, 1) = 12.7062
        Assert.Equal(2.776445105 * Math.Sqrt(2.5) / Math.Sqrt(5), five.HalfWidth!.Value, 6); // t(0.975, 4) = 2.7764
        Assert.Null(SeedSample.Of([0.9])!.HalfWidth);
        Assert.Equal("0.9500 ± 0.6353 (95 % CI, n = 2)", two.Describe());
    }

    [Fact]
    public void Welch_s_test_has_the_Welch_Satterthwaite_degrees_of_freedom_and_a_two_sided_p()
    {
        // s = 0.02 and 0.05 over three seeds each: t = 0.07 / √(0.0004/3 + 0.0025/3) = 2.25144,
        // df = (Σ s²/n)² / Σ (s²/n)² / (n − 1) = 2.62402, p = 0.12244 (by integrating t's density).
        var test = WelchTest.Of(SeedSample.Of([0.80, 0.82, 0.84])!, SeedSample.Of([0.70, 0.75, 0.80])!)!;

        Assert.Equal(2.2514363, test.T, 6);
        Assert.Equal(2.6240250, test.DegreesOfFreedom, 6);
        Assert.Equal(0.1224435, test.P, 5);
    }

    [Theory]
    [InlineData(new[] { 0.90, 0.91, 0.92 }, new[] { 0.70, 0.71, 0.72 }, "top is better (p < 0.001)")]
    [InlineData(new[] { 0.80, 0.82, 0.84 }, new[] { 0.70, 0.75, 0.80 }, "within seed noise (p = 0.122): add seeds")]
    [InlineData(new[] { 0.90 }, new[] { 0.80 }, "one seed each: cannot tell — add `seeds: [1, 2, 3]`")]
    [InlineData(new[] { 0.90, 0.91 }, new[] { 0.80 }, "one seed on one side: cannot tell — add `seeds: [1, 2, 3]`")]
    [InlineData(new[] { 0.90, 0.90 }, new[] { 0.90, 0.90 }, "within seed noise (p = 1): add seeds")]
    public void The_verdict_says_what_the_seeds_can_tell_and_what_to_do(double[] top, double[] other, string verdict)
    {
        Assert.Equal(verdict, Verdict.Of(SeedSample.Of(top.Cast<double?>())!, SeedSample.Of(other.Cast<double?>())!));
    }
}

/// <summary>Paired tests on the same test examples, against values computed by hand.</summary>
public class PairedTestTests
{
    private static (bool[] A, bool[] B) Outcomes(int both, int onlyA, int onlyB, int neither) =>
        ([.. Enumerable.Repeat(true, both + onlyA).Concat(Enumerable.Repeat(false, onlyB + neither))],
         [.. Enumerable.Repeat(true, both).Concat(Enumerable.Repeat(false, onlyA)).Concat(Enumerable.Repeat(true, onlyB)).Concat(Enumerable.Repeat(false, neither))]);

    [Theory]
    // Exact binomial: p = 2 · P(X ≤ min(b, c)) for X ~ Binomial(b + c, ½). 1 against 5: 2 · (1 + 6) / 64 = 0.21875.
    [InlineData(90, 1, 5, 4, 0.21875)]
    // 12 against 41: 2 · Σ_{i ≤ 12} C(53, i) / 2^53 = 8.17133e-5.
    [InlineData(900, 12, 41, 47, 8.17133e-5)]
    [InlineData(100, 0, 0, 0, 1.0)]
    public void McNemar_s_exact_test_counts_only_the_examples_the_two_runs_disagree_on(int both, int onlyA, int onlyB, int neither, double p)
    {
        var (a, b) = Outcomes(both, onlyA, onlyB, neither);

        var test = PairedTest.McNemar(a, b);

        Assert.Equal((onlyA, onlyB), (test.OnlyA, test.OnlyB));
        Assert.Equal(p, test.P, 1e-4 * p + 1e-12);
    }

    [Fact]
    public void The_regression_pair_is_a_paired_t_test_on_absolute_errors()
    {
        // d = 0.2, 0.1, 0.3, 0.05: mean 0.1625, s = 0.11087, t = 2.93142 on 3 df, p = 0.0609307.
        var test = PairedTest.PairedT([0.5, 0.6, 0.7, 0.4], [0.3, 0.5, 0.4, 0.35]);

        Assert.Equal(0.0609307, test.P, 5);
        Assert.Equal((0, 4), (test.OnlyA, test.OnlyB));
    }

    [Theory]
    [InlineData(900, 12, 41, 47, "on the same 1,000 test targets: B is better (McNemar's exact test, p < 0.001; 41 only B got right, 12 only A)")]
    [InlineData(90, 5, 1, 4, "on the same 100 test targets: no difference beyond chance (McNemar's exact test, p = 0.219; 1 only B got right, 5 only A)")]
    public void The_paired_verdict_names_the_better_run_and_the_counts_behind_it(int both, int onlyA, int onlyB, int neither, string verdict)
    {
        var (a, b) = Outcomes(both, onlyA, onlyB, neither);

        Assert.Equal(verdict, PairedTest.McNemar(a, b).Verdict(classification: true));
    }
}
