using System.Globalization;
using System.Text.RegularExpressions;
using RnnRunner.Core.Comparisons;
using RnnRunner.Core.Training;
using RnnRunner.Plotting;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Plotting;

public class ComparisonChartsTests
{
    private static TrialCurves Trial(string name, string group, params double[] valAccuracy) => new(name, group,
        valAccuracy.Select((v, i) => new EpochMetrics(i + 1, new Dictionary<string, double> { ["val_accuracy"] = v }, 0.001, 1)).ToList(),
        1, "test_accuracy", valAccuracy[^1], 1.0, Colour: group == "a" ? 0 : 1);

    [Fact]
    public void Each_group_keeps_its_colour_in_every_chart_and_every_chart_has_a_heading_and_a_caption()
    {
        using var temp = new TempDirectory();
        var trials = new[] { Trial("a_s1", "a", 0.6, 0.7), Trial("a_s2", "a", 0.62, 0.72), Trial("b_s1", "b", 0.5, 0.6) };

        var charts = new ComparisonCharts().Write(temp.Path, trials, "val_accuracy");

        Assert.Equal(4, charts.Count);
        foreach (var chart in charts)
        {
            var svg = File.ReadAllText(chart.Svg);
            Assert.Contains(SeriesColours.Of(0, 2).ToUpperInvariant(), svg); // group a
            Assert.Contains(SeriesColours.Of(1, 2).ToUpperInvariant(), svg); // group b
            Assert.False(string.IsNullOrWhiteSpace(chart.Heading));
            Assert.True(chart.Caption.Length > 40, chart.Caption);
        }
    }

    [Fact]
    public void More_groups_than_distinct_colours_are_coloured_by_rank_on_a_continuous_scale_never_a_repeating_palette()
    {
        var sixteen = Enumerable.Range(0, 16).Select(i => SeriesColours.Of(i, 16)).ToList();

        Assert.Equal(16, sixteen.Distinct().Count());
        Assert.Equal(("#440154", "#fde725"), (sixteen[0], sixteen[^1])); // viridis: dark purple the best, yellow the last
        Assert.Equal(SeriesColours.Of(0, 10), SeriesColours.Of(0, 3)); // up to ten: Tableau 10, one colour per group
        Assert.NotEqual(SeriesColours.Of(0, 10), SeriesColours.Of(9, 10));
        Assert.Contains("rank among 16", SeriesColours.Meaning(16));
    }

    [Fact]
    public void A_seed_band_never_leaves_the_range_an_accuracy_can_take()
    {
        using var temp = new TempDirectory();
        // Mean 0.95, std 0.07: an unclipped band would reach 1.02.
        var trials = new[] { Trial("a_s1", "a", 0.9, 0.9), Trial("a_s2", "a", 1.0, 1.0) };

        new ComparisonCharts().Write(temp.Path, trials, "val_accuracy");

        // In the SVG (y grows downwards): the band's top and bottom edges and the mean line between them. Unclipped,
        // the band is symmetric (±0.0707 about 0.95); clipped at 1.0, its upper half is 0.05 / 0.0707 of its lower half.
        var svg = File.ReadAllText(temp.File("compare-val_accuracy-seed-mean.svg"));
        var band = Regex.Match(svg, @"fill-opacity=""0\.2"" d=""M[\d.]+ ([\d.]+)L[\d.]+ [\d.]+L[\d.]+ ([\d.]+)");
        var mean = Regex.Match(svg, @"stroke-width=""2""[^>]* d=""M[\d.]+ ([\d.]+)L");
        Assert.True(band.Success && mean.Success, "band or mean line not found in the SVG");
        double Y(Match m, int group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        var (top, bottom, line) = (Y(band, 1), Y(band, 2), Y(mean, 1));
        Assert.Equal(0.05 / Math.Sqrt(0.005), (line - top) / (bottom - line), 2);
    }

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

    [Fact]
    public void The_test_chart_zooms_to_where_the_groups_differ_and_names_each_value_beside_its_group()
    {
        using var temp = new TempDirectory();
        // 0.998 against 0.985: on an axis from 0 the two would look the same.
        var trials = new[] { Trial("a_s1", "a", 0.985), Trial("b_s1", "b", 0.998) };

        new ComparisonCharts().Write(temp.Path, trials, "val_accuracy");

        var svg = File.ReadAllText(temp.File("compare-test-accuracy.svg"));
        var ticks = Regex.Matches(svg, @">\s*(-?\d+(?:\.\d+)?)\s*</text>").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(ticks);
        Assert.True(ticks.Min() > 0.9, $"the x axis reaches {ticks.Min()}: not zoomed to 0.985..0.998");
        Assert.True(ticks.Max() <= 1, $"the x axis reaches {ticks.Max()}, beyond what an accuracy can be");
        Assert.Contains("b: 0.9980", svg);
        Assert.Contains("a: 0.9850", svg);
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(0.5, 0.5)]
    [InlineData(0.985, 0.998)]
    public void The_test_against_speed_axis_is_zoomed_to_the_data_within_what_an_accuracy_can_be(double low, double high)
    {
        var accuracy = RnnRunner.Plotting.MetricRange.Of(RnnRunner.Core.Specs.MetricKey.Of(RnnRunner.Core.Specs.MetricKind.Accuracy, RnnRunner.Core.Specs.DataSplit.Test));

        var (bottom, top) = RnnRunner.Plotting.ComparisonCharts.ZoomedLimits([low], [high], accuracy);

        Assert.True(bottom >= 0 && top <= 1, $"{bottom}..{top} leaves [0, 1]");
        Assert.True(bottom <= low && top >= high, $"{bottom}..{top} hides the data {low}..{high}");
        Assert.True(top - bottom < 0.05, $"{bottom}..{top} is not zoomed to {low}..{high}");
    }
}
