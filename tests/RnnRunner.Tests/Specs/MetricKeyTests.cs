using RnnRunner.Core.Specs;

namespace RnnRunner.Tests.Specs;

/// <summary>Logged values are typed keys — split, quantity, direction — whose names are Keras' (plus test_).</summary>
public class MetricKeyTests
{
    [Theory]
    [InlineData("loss", DataSplit.Train, "loss", false)]
    [InlineData("val_accuracy", DataSplit.Validation, "accuracy", true)]
    [InlineData("test_mae", DataSplit.Test, "mae", false)]
    [InlineData("val_loss", DataSplit.Validation, "loss", false)]
    public void A_name_parses_into_its_split_quantity_and_direction_and_back(string name, DataSplit split, string quantity, bool higherIsBetter)
    {
        var key = MetricKey.Parse(name);

        Assert.Equal(new MetricKey(split, quantity), key);
        Assert.Equal(higherIsBetter, key.HigherIsBetter);
        Assert.Equal(name, key.Name);
    }

    [Fact]
    public void A_run_logs_loss_and_its_metrics_then_their_validation_twins()
    {
        var training = Support.Specs.Load(Support.Specs.BasicRnn, "training.metrics=[accuracy]").Spec.Training;

        Assert.Equal(["loss", "accuracy", "val_loss", "val_accuracy"], MetricKey.Logged(training).Select(k => k.Name));
        Assert.Equal(["loss", "accuracy"], MetricKey.Logged(training with { ValidationSplit = 0 }).Select(k => k.Name));
    }
}
