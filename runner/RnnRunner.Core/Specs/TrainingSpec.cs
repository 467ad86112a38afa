using RnnRunner.Core.Specs.Schema;

namespace RnnRunner.Core.Specs;

/// <summary>The loss, by Keras' names with Keras' meanings.</summary>
public enum LossKind
{
    BinaryCrossentropy,

    // Keras' categorical_crossentropy takes one-hot targets; every classification dataset here gives integer labels,
    // which is what this name meant before it took Keras' meaning — so an old spec keeps running, told the new name.
    [SpecAlias("categorical_crossentropy", Warning = "is read as sparse_categorical_crossentropy (integer class labels against a softmax output), "
        + "Keras' name for what it means here; Keras' categorical_crossentropy takes one-hot targets, which no dataset here gives — write sparse_categorical_crossentropy")]
    SparseCategoricalCrossentropy,

    [SpecAlias("mean_squared_error")]
    Mse,
}

public enum MetricKind
{
    [SpecAlias("acc")]
    Accuracy,

    [SpecAlias("mean_absolute_error")]
    Mae,
}

public sealed record TrainingSpec
{
    [SpecRange(1, 1_000_000)]
    public int Epochs { get; init; } = 10;

    [SpecRange(1, 1_000_000)]
    public int BatchSize { get; init; } = 32;

    [Doc("sgd, rmsprop (default) or adam, with its learning rate and options.")]
    public OptimizerSpec Optimizer { get; init; } = new RmsPropOptimizerSpec();

    [Doc("binary_crossentropy (sigmoid output, labels 0/1), sparse_categorical_crossentropy (softmax output, integer class labels) "
         + "or mse (mean_squared_error), as Keras names them.")]
    public required LossKind Loss { get; init; }

    [Doc("Reported each epoch besides the loss: accuracy (classification), mae (regression).")]
    public IReadOnlyList<MetricKind> Metrics { get; init; } = [];

    [Doc("Fraction of the training examples held out for validation, chosen by a seeded shuffle (not Keras' last rows).")]
    [SpecRange(0, 1, MaxExclusive = true)]
    public double ValidationSplit { get; init; } = 0.2;

    [Doc("Shuffle the training examples every epoch (seeded).")]
    public bool Shuffle { get; init; } = true;

    [Doc("How examples are grouped into batches: by default each batch is padded to the data's full length; "
         + "by_length groups examples of similar length and pads each batch only to its longest.")]
    public BatchingSpec Batching { get; init; } = new();

    [Doc("Rescale gradients whose global L2 norm exceeds this value; null disables clipping.")]
    [SpecRange(0, double.MaxValue, MinExclusive = true)]
    public double? ClipGradNorm { get; init; }

    [Doc("Stop when the monitored metric stops improving, optionally restoring the best epoch's weights.")]
    public EarlyStoppingSpec? EarlyStopping { get; init; }

    [Doc("Log each layer's gradient norm (L2 over its parameters, before clipping, the mean over the epoch's batches) as "
         + "grad_norm_<layer> in metrics.csv and TensorBoard: exploding or vanishing gradients — why LSTMs exist — made visible.")]
    public bool LogGradientNorms { get; init; }

    [Doc("Every this many epochs, write a TensorBoard histogram of every weight and of its gradient from the epoch's last batch "
         + "(as the optimizer applied it, after any clipping) — Keras' TensorBoard(histogram_freq=N). 0: none.")]
    [SpecRange(0, 1_000_000)]
    public int HistogramFreq { get; init; }

    [Doc("Lower the learning rate when a metric stops improving (Keras' ReduceLROnPlateau).")]
    public ReduceLrOnPlateauSpec? ReduceLrOnPlateau { get; init; }
}

[SpecUnion("type")]
public abstract record OptimizerSpec
{
    [SpecRange(0, 10, MinExclusive = true)]
    public abstract double LearningRate { get; init; }

    /// <summary>Values the optimizer keeps per parameter (momentum, moving averages): what its state costs in memory.</summary>
    public abstract int StateSlotsPerParameter();
}

[Doc("Stochastic gradient descent with optional (Nesterov) momentum.")]
[SpecName("sgd", Keras = "SGD")]
public sealed record SgdOptimizerSpec : OptimizerSpec
{
    [SpecRange(0, 10, MinExclusive = true)]
    public override double LearningRate { get; init; } = 0.01;

    [SpecRange(0, 1, MaxExclusive = true)]
    public double Momentum { get; init; }

    public bool Nesterov { get; init; }

    public override int StateSlotsPerParameter() => Momentum > 0 ? 1 : 0;
}

[Doc("RMSprop (Keras defaults: learning_rate 0.001, rho 0.9, epsilon 1e-7).")]
[SpecName("rmsprop", Keras = "RMSprop")]
public sealed record RmsPropOptimizerSpec : OptimizerSpec
{
    [SpecRange(0, 10, MinExclusive = true)]
    public override double LearningRate { get; init; } = 0.001;

    [Doc("Discount factor of the running average of squared gradients.")]
    [SpecRange(0, 1, MaxExclusive = true)]
    public double Rho { get; init; } = 0.9;

    [SpecRange(0, 1, MaxExclusive = true)]
    public double Momentum { get; init; }

    [SpecRange(0, 1, MinExclusive = true)]
    public double Epsilon { get; init; } = 1e-7;

    public override int StateSlotsPerParameter() => Momentum > 0 ? 2 : 1;
}

[Doc("Adam (Keras defaults: learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7).")]
[SpecName("adam", Keras = "Adam")]
public sealed record AdamOptimizerSpec : OptimizerSpec
{
    [SpecRange(0, 10, MinExclusive = true)]
    public override double LearningRate { get; init; } = 0.001;

    [SpecKey("beta_1")]
    [SpecRange(0, 1, MaxExclusive = true)]
    public double Beta1 { get; init; } = 0.9;

    [SpecKey("beta_2")]
    [SpecRange(0, 1, MaxExclusive = true)]
    public double Beta2 { get; init; } = 0.999;

    [SpecRange(0, 1, MinExclusive = true)]
    public double Epsilon { get; init; } = 1e-7;

    public override int StateSlotsPerParameter() => 2;
}

public sealed record BatchingSpec
{
    [Doc("Batch examples of similar length together, each batch padded only to its own longest example "
         + "(validation and test too). The order stays a pure function of (seed, epoch).")]
    public bool ByLength { get; init; }

    [Doc("Examples whose lengths fall in the same band of this many steps share batches; smaller bands pad "
         + "less, larger ones mix more.")]
    [SpecRange(1, 100_000)]
    public int BucketWidth { get; init; } = 16;
}

public enum MonitorMode { Auto, Min, Max }

public sealed record EarlyStoppingSpec
{
    [Doc("The logged metric to watch, e.g. val_loss or val_accuracy.")]
    public string Monitor { get; init; } = "val_loss";

    [Doc("Epochs without improvement before stopping.")]
    [SpecRange(0, 1_000_000)]
    public int Patience { get; init; } = 3;

    [Doc("Smallest change that counts as an improvement.")]
    [SpecRange(0, double.MaxValue)]
    public double MinDelta { get; init; }

    [Doc("auto picks max for accuracy-like metrics, min otherwise.")]
    public MonitorMode Mode { get; init; } = MonitorMode.Auto;

    [Doc("Put back the weights of the best epoch when training ends (Keras' restore_best_weights).")]
    public bool RestoreBestWeights { get; init; } = true;
}

public sealed record ReduceLrOnPlateauSpec
{
    [Doc("The logged metric to watch, e.g. val_loss or val_accuracy.")]
    public string Monitor { get; init; } = "val_loss";

    [Doc("Multiply the learning rate by this when the metric stalls.")]
    [SpecRange(0, 1, MinExclusive = true, MaxExclusive = true)]
    public double Factor { get; init; } = 0.1;

    [Doc("Epochs without improvement before the learning rate is lowered.")]
    [SpecRange(0, 1_000_000)]
    public int Patience { get; init; } = 10;

    [Doc("Smallest change that counts as an improvement.")]
    [SpecRange(0, double.MaxValue)]
    public double MinDelta { get; init; } = 1e-4;

    [Doc("auto picks max for accuracy-like metrics, min otherwise.")]
    public MonitorMode Mode { get; init; } = MonitorMode.Auto;

    [Doc("Epochs to wait after lowering before counting again.")]
    [SpecRange(0, 1_000_000)]
    public int Cooldown { get; init; }

    [Doc("The learning rate is never lowered below this.")]
    [SpecRange(0, double.MaxValue)]
    public double MinLr { get; init; }
}
