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

        var files = new TrainingCurveCharts().WriteRunCharts(temp.Path, "my-run", history, bestEpoch: 2);

        Assert.Equal(["accuracy.png", "accuracy.svg", "loss.png", "loss.svg"], files.Select(Path.GetFileName).Order());
        var png = File.ReadAllBytes(temp.File("loss.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        var svg = File.ReadAllText(temp.File("accuracy.svg"));
        foreach (var text in new[] { "my-run: training and validation accuracy", "Epoch", "Accuracy", "training accuracy", "validation accuracy", "best epoch (2)" })
            Assert.Contains(text, svg);
    }

    [Fact]
    public void Runs_without_validation_plot_the_training_curve_alone()
    {
        using var temp = new TempDirectory();
        var history = new[] { new EpochMetrics(1, new Dictionary<string, double> { ["loss"] = 1, ["mae"] = 0.5 }, 0.01, 1) };

        var files = new TrainingCurveCharts().WriteRunCharts(temp.Path, "r", history, bestEpoch: 1);

        Assert.Contains(files, f => f.EndsWith("mae.svg"));
        Assert.DoesNotContain("validation", File.ReadAllText(temp.File("loss.svg")));
    }
}
