using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Training;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Training;

/// <summary>training.log_gradient_norms: each layer's gradient norm per epoch, the same on both engines, before clipping.</summary>
[Collection(TorchCollection.Name)]
public class GradientNormTests
{
    [Fact]
    public void A_layer_s_norm_is_the_root_of_its_parameters_summed_squares_named_after_its_spec_path()
    {
        var norms = GradientNorms.Of([("model[1].weight_ih", 9.0), ("model[1].bias_ih", 16.0), ("model[2].weight", 4.0)]);

        Assert.Equal(new Dictionary<string, double> { ["grad_norm_model[1]"] = 5.0, ["grad_norm_model[2]"] = 2.0 }, norms);
    }

    private static IReadOnlyList<EpochMetrics> Train(string engine, params string[] overrides)
    {
        using var temp = new TempDirectory();
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, ["training.epochs=2", "training.log_gradient_norms=true", $"engine={engine}", .. overrides]);
        var outcome = TestRuns.New().Execute(spec, new RunOptions(temp.Path));
        // One chart of every layer's norm, not a chart per layer beside the loss and accuracy.
        Assert.Equal(["accuracy.svg", "gradient-norms.svg", "loss.svg"],
            Directory.GetFiles(outcome.Folder.Plots, "*.svg").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        return MetricsCsv.Read(outcome.Folder.Metrics);
    }

    [Fact]
    public void Both_engines_log_every_layer_s_gradient_norm_each_epoch_and_agree()
    {
        var torch = Train("torch");
        var scratch = Train("scratch");

        string[] layers = ["grad_norm_model[0]", "grad_norm_model[1]", "grad_norm_model[2]"];
        foreach (var (t, s) in torch.Zip(scratch))
            foreach (var layer in layers)
            {
                Assert.True(t[layer] > 0, $"{layer} at epoch {t.Epoch}");
                Assert.Equal(t[layer], s[layer], (a, b) => Math.Abs(a - b) <= 1e-3 * Math.Max(a, b));
            }
    }

    [Fact]
    public void Norms_are_taken_before_clipping_so_an_exploding_gradient_shows_even_when_it_is_clipped()
    {
        var clipped = Train("scratch", "training.clip_grad_norm=0.001");

        Assert.All(clipped, epoch => Assert.True(epoch["grad_norm_model[2]"] > 0.001, $"epoch {epoch.Epoch}: {epoch["grad_norm_model[2]"]}"));
    }
}
