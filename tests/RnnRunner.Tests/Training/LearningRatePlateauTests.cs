using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Training;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Training;

/// <summary>reduce_lr_on_plateau follows Keras' ReduceLROnPlateau epoch by epoch.</summary>
public class LearningRatePlateauTests
{
    private static LearningRatePlateau Plateau(ReduceLrOnPlateauSpec spec) =>
        new(new TrainingSpec { Loss = LossKind.BinaryCrossentropy, ReduceLrOnPlateau = spec });

    /// <summary>Feeds val_loss values one epoch at a time; returns the learning rate after each.</summary>
    private static double[] Run(LearningRatePlateau plateau, double start, params double[] valLoss)
    {
        var rate = start;
        return valLoss.Select((v, i) => rate = plateau.Next(
            new EpochMetrics(i + 1, new Dictionary<string, double> { ["val_loss"] = v, ["val_accuracy"] = 1 - v }, rate, 1), rate)).ToArray();
    }

    [Fact]
    public void The_rate_drops_by_factor_after_patience_epochs_without_improvement()
    {
        var rates = Run(Plateau(new ReduceLrOnPlateauSpec { Factor = 0.5, Patience = 2 }), 1.0, 0.9, 0.8, 0.85, 0.81, 0.82, 0.83, 0.7);

        Assert.Equal([1.0, 1.0, 1.0, 0.5, 0.5, 0.25, 0.25], rates);
    }

    [Fact]
    public void Improvements_smaller_than_min_delta_do_not_count()
    {
        var rates = Run(Plateau(new ReduceLrOnPlateauSpec { Factor = 0.1, Patience = 1, MinDelta = 0.05 }), 1.0, 0.9, 0.88);

        Assert.Equal(1.0, rates[0]);
        Assert.Equal(0.1, rates[1], 12);
    }

    [Fact]
    public void Cooldown_pauses_counting_and_min_lr_is_a_floor()
    {
        var rates = Run(Plateau(new ReduceLrOnPlateauSpec { Factor = 0.1, Patience = 1, Cooldown = 2, MinLr = 0.005 }),
            1.0, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6);

        // Drop after epoch 2; epoch 3 cools down (Keras counts the cooldown down at the start of each epoch's
        // check, so the second cooldown epoch already counts again); drop after 4; after 6 the 0.005 floor; then no lower.
        Assert.Equal([1.0, 0.1, 0.1, 0.01, 0.01, 0.005, 0.005], rates.Select(r => Math.Round(r, 12)));
    }

    [Fact]
    public void Accuracy_like_monitors_improve_upwards()
    {
        // val_accuracy = 1 − val_loss here, so these losses are accuracies going up: no drop.
        var rates = Run(Plateau(new ReduceLrOnPlateauSpec { Monitor = "val_accuracy", Patience = 1 }), 1.0, 0.5, 0.4, 0.3);

        Assert.All(rates, r => Assert.Equal(1.0, r));
    }

    [Fact]
    public void A_monitor_the_run_does_not_log_is_a_located_spec_error()
    {
        var errors = Support.Specs.ErrorsOf(Support.Specs.BasicRnn + "\n  reduce_lr_on_plateau:\n    monitor: val_acc\n");

        var error = Assert.Single(errors);
        Assert.Equal("training.reduce_lr_on_plateau.monitor", error.Path);
        Assert.Contains("did you mean 'val_accuracy'", error.Message);
    }

    [Fact]
    public void A_factor_of_one_or_more_is_refused()
    {
        var error = Assert.Single(Support.Specs.ErrorsOf(Support.Specs.BasicRnn + "\n  reduce_lr_on_plateau:\n    factor: 1\n"));

        Assert.Equal("training.reduce_lr_on_plateau.factor", error.Path);
    }
}

[Collection(TorchCollection.Name)]
public class LearningRatePlateauRunTests
{
    [Theory]
    [InlineData("torch")]
    [InlineData("scratch")]
    public void Both_engines_train_at_the_lowered_rate_and_metrics_csv_records_it(string engine)
    {
        using var temp = new TempDirectory();
        // min_delta 10 makes every epoch after the first (which sets the best) a non-improvement.
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, $"engine={engine}", "training.epochs=3",
            "training.reduce_lr_on_plateau={monitor: val_loss, factor: 0.5, patience: 1, min_delta: 10}");

        var outcome = TestRuns.New().Execute(spec, new RunOptions(temp.Path));

        var rates = RnnRunner.Core.Results.MetricsCsv.Read(outcome.Folder.Metrics).Select(row => row.LearningRate);
        Assert.Equal([0.005, 0.005, 0.0025], rates.Select(r => Math.Round(r, 9)));
    }

    [Fact]
    [Trait(TestLevel.Key, TestLevel.Process)]
    public void A_run_says_when_the_rate_drops_and_metrics_csv_writes_it_short()
    {
        using var temp = new TempDirectory();
        // min_delta of 10: after the first epoch (which sets the best) none counts as an improvement, so the rate drops after each.
        var (exit, _, err) = CliProcess.Run("run", CliHarness.Example("basics", "basic-rnn.yaml"), "--results", temp.File("results"),
            "--set", "training.epochs=3", "--set", "data.train_samples=300",
            "--set", "training.reduce_lr_on_plateau={monitor: val_loss, patience: 1, factor: 0.1, min_delta: 10}");

        Assert.Equal(0, exit);
        Assert.Contains("Epoch 2: learning rate reduced from 0.003 to 0.0003 (reduce_lr_on_plateau)", err);
        Assert.Contains("Epoch 3: learning rate reduced from 0.0003 to 3e-05 (reduce_lr_on_plateau)", err);
        Assert.Matches(@"Epoch 3: loss \d\.\d{4} .* learning_rate 0\.0003 \(", err); // the rate the epoch trained at
        var metrics = File.ReadAllLines(Directory.GetFiles(temp.File("results"), "metrics.csv", SearchOption.AllDirectories).Single());
        var lr = Array.IndexOf(metrics[0].Split(','), "lr");
        Assert.Equal(["0.003", "0.003", "0.0003"], metrics.Skip(1).Select(row => row.Split(',')[lr])); // the rate each epoch ran at; 0.003 × 0.1 is 0.00030000000000000003 in binary
    }
}
