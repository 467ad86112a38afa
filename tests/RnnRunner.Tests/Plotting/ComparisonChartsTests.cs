using RnnRunner.Core.Comparisons;
using RnnRunner.Core.Training;
using RnnRunner.Plotting;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Plotting;

public class ComparisonChartsTests
{
    private static TrialCurves Trial(string name, string group, params double[] valAccuracy) => new(name, group,
        valAccuracy.Select((v, i) => new EpochMetrics(i + 1, new Dictionary<string, double> { ["val_accuracy"] = v }, 0.001, 1)).ToList(),
        1, "test_accuracy", valAccuracy[^1], 1.0);

    [Fact]
    public void A_seed_mean_says_when_early_stopping_leaves_it_fewer_seeds()
    {
        using var temp = new TempDirectory();
        // Seed 2 stopped after epoch 2: from epoch 3 the "mean" is seed 1 alone, and the legend must say so.
        var trials = new[] { Trial("a_s1", "a", 0.6, 0.7, 0.8, 0.85), Trial("a_s2", "a", 0.62, 0.72), Trial("b_s1", "b", 0.5, 0.6), Trial("b_s2", "b", 0.55, 0.65) };

        new ComparisonCharts().Write(temp.Path, trials, "val_accuracy");

        var svg = File.ReadAllText(temp.File("compare-val_accuracy-seed-mean.svg"));
        Assert.Contains("a (n=2; fewer from epoch 3: n=1 at the end)", svg);
        Assert.Contains("b (n=2)", svg);
    }
}
