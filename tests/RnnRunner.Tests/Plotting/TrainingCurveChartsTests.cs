using System.Text.RegularExpressions;
using RnnRunner.Core.Training;
using RnnRunner.Plotting;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Plotting;

public class TrainingCurveChartsTests
{
    private static EpochMetrics Epoch(int n, double loss, double acc) => new(n,
        new Dictionary<string, double> { ["loss"] = loss, ["accuracy"] = acc, ["val_loss"] = loss + 0.1, ["val_accuracy"] = acc - 0.05 },
        0.001, 1.0);

    [Fact]
    public void One_png_and_one_svg_per_quantity_with_title_axes_and_legend()
    {
        using var temp = new TempDirectory();
        var history = new[] { Epoch(1, 0.7, 0.5), Epoch(2, 0.5, 0.7), Epoch(3, 0.4, 0.8) };

        var files = new TrainingCurveCharts().WriteRunCharts(temp.Path, "my-run", "binary_crossentropy", history, bestEpoch: 2);

        Assert.Equal(["accuracy.png", "accuracy.svg", "loss.png", "loss.svg"], files.Select(Path.GetFileName).Order());
        var png = File.ReadAllBytes(temp.File("loss.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        var svg = File.ReadAllText(temp.File("accuracy.svg"));
        foreach (var text in new[] { "my-run: training and validation accuracy", "Epoch", "Accuracy", "training accuracy", "validation accuracy", "best epoch (2)" })
            Assert.Contains(text, svg);
    }

    [Fact]
    public void The_loss_chart_names_the_loss_and_shows_the_learning_rate_when_a_schedule_changed_it()
    {
        using var temp = new TempDirectory();
        EpochMetrics At(int n, double rate) => Epoch(n, 1.0 / n, 0.5) with { LearningRate = rate };

        new TrainingCurveCharts().WriteRunCharts(temp.Path, "r", "binary_crossentropy", [At(1, 0.01), At(2, 0.01), At(3, 0.003)], bestEpoch: 3);
        var changed = File.ReadAllText(temp.File("loss.svg"));
        new TrainingCurveCharts().WriteRunCharts(temp.Path, "r", "binary_crossentropy", [At(1, 0.01), At(2, 0.01)], bestEpoch: 2);
        var constant = File.ReadAllText(temp.File("loss.svg"));

        Assert.Contains("Loss (binary_crossentropy)", changed);
        Assert.Contains("Learning rate", changed);
        Assert.DoesNotContain("Learning rate", constant);
    }

    [Fact]
    public void A_decaying_learning_rate_is_drawn_on_a_log_axis_labelled_with_the_rates_themselves()
    {
        using var temp = new TempDirectory();
        // Keras' ReduceLROnPlateau, factor 0.1 each epoch: on a linear axis everything after the first would lie on zero.
        var history = Enumerable.Range(1, 5).Select(n => Epoch(n, 1.0 / n, 0.5) with { LearningRate = 0.01 * Math.Pow(0.1, n - 1) }).ToArray();

        new TrainingCurveCharts().WriteRunCharts(temp.Path, "r", "binary_crossentropy", history, bestEpoch: 5);

        var svg = File.ReadAllText(temp.File("loss.svg"));
        Assert.Contains("Learning rate (log scale)", svg);
        var labels = Regex.Matches(svg, @">\s*([^<\s]+)\s*</text>").Select(m => m.Groups[1].Value).ToHashSet();
        foreach (var tick in new[] { "0.01", "0.001", "0.0001", "1e-5", "1e-6" }) Assert.Contains(tick, labels);
    }

    [Fact]
    public void Runs_without_validation_plot_the_training_curve_alone()
    {
        using var temp = new TempDirectory();
        var history = new[] { new EpochMetrics(1, new Dictionary<string, double> { ["loss"] = 1, ["mae"] = 0.5 }, 0.01, 1) };

        var files = new TrainingCurveCharts().WriteRunCharts(temp.Path, "r", "mse", history, bestEpoch: 1);

        Assert.Contains(files, f => f.EndsWith("mae.svg"));
        Assert.DoesNotContain("validation", File.ReadAllText(temp.File("loss.svg")));
    }
}
