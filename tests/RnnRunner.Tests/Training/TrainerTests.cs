using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Training;

namespace RnnRunner.Tests.Training;

/// <summary>The shared training loop, driven by a scripted model so each behaviour is exact and instant.</summary>
public class TrainerTests
{
    /// <summary>
    /// A model whose validation loss in epoch e is <c>script[e-1]</c> and whose one "weight" is the number of the
    /// epoch it last trained in, so restoring the best weights is visible.
    /// </summary>
    private sealed class ScriptedModel(double[] validationLosses, int batchesPerEpoch) : ITrainableModel
    {
        private int _trainSteps;
        public float Weight { get; private set; }
        public List<int> BatchSizes { get; } = [];
        public double TrainLoss { get; init; } = 0.5;

        public BatchResult TrainStep(Batch batch)
        {
            BatchSizes.Add(batch.Count);
            Weight = _trainSteps++ / batchesPerEpoch + 1;
            return new BatchResult(TrainLoss, Outputs(batch, correct: true));
        }

        public ReadOnlyMemory<float> Predict(Batch batch) => Outputs(batch, correct: false);

        public IReadOnlyList<NamedTensor> OutputGradients(Batch batch, int output) => throw new NotSupportedException("a scripted model has no weights");

        public IReadOnlyList<NamedTensor> LastGradients() => [];
        public BatchResult Evaluate(Batch batch) =>
            new(validationLosses[Math.Min((int)Weight, validationLosses.Length) - 1], Outputs(batch, correct: false));

        private static float[] Outputs(Batch batch, bool correct) =>
            batch.TargetLabels.ToArray().Select(l => correct == (l == 1) ? 0.9f : 0.1f).ToArray();

        public double LearningRate { get; set; } = 0.1;
        public IReadOnlyList<NamedTensor> GetWeights() => [new NamedTensor("w", [1], [Weight])];
        public void SetWeights(IReadOnlyList<NamedTensor> weights) => Weight = weights[0].Values[0];
        public void SaveTrainingState(Stream stream) => stream.Write(BitConverter.GetBytes(Weight));
        public void LoadTrainingState(Stream stream) { var b = new byte[4]; stream.ReadExactly(b); Weight = BitConverter.ToSingle(b); }
        public void Dispose() { }
    }

    private static readonly DataSignature Binary = new(InputKind.Tokens, 4, 3, TargetKind.BinaryPerSequence, 2);

    private static DatasetSplits Data(int train, int validation = 10, int test = 10)
    {
        SequenceDataset Make(int n) => new(Binary, n, new int[n * 3], null, Enumerable.Range(0, n).Select(i => i % 2).ToArray(), null);
        return new DatasetSplits(Make(train), Make(validation), Make(test));
    }

    private static TrainingSpec Training(int epochs, EarlyStoppingSpec? stopping = null, int batchSize = 10) => new()
    {
        Epochs = epochs, BatchSize = batchSize, Loss = LossKind.BinaryCrossentropy, Metrics = [MetricKind.Accuracy],
        EarlyStopping = stopping,
    };

    [Fact]
    public void Early_stopping_waits_patience_epochs_then_restores_the_best_weights()
    {
        var model = new ScriptedModel([0.5, 0.4, 0.45, 0.46, 0.47, 0.3], batchesPerEpoch: 2);
        var spec = Training(6, new EarlyStoppingSpec { Monitor = "val_loss", Patience = 2, RestoreBestWeights = true });

        var result = new Trainer(model, spec, seed: 1).Fit(Data(train: 20));

        Assert.Equal(4, result.History.Count);   // epochs 3 and 4 did not improve on epoch 2
        Assert.True(result.StoppedEarly);
        Assert.Equal(2, result.BestEpoch);
        Assert.Equal(0.4, result.BestValue);
        Assert.True(result.RestoredBestWeights);
        Assert.Equal(2f, model.Weight);
        Assert.Equal(0.4, result.TestMetrics["test_loss"]); // evaluated with the restored weights
    }

    [Fact]
    public void Patience_zero_stops_at_the_first_epoch_that_does_not_improve()
    {
        var model = new ScriptedModel([0.5, 0.6, 0.1], batchesPerEpoch: 1);

        var result = new Trainer(model, Training(3, new EarlyStoppingSpec { Patience = 0 }), seed: 1).Fit(Data(train: 10));

        Assert.Equal(2, result.History.Count);
    }

    [Fact]
    public void Accuracy_like_metrics_are_maximised()
    {
        var model = new ScriptedModel([0.5, 0.4, 0.3], batchesPerEpoch: 1);
        var spec = Training(3, new EarlyStoppingSpec { Monitor = "accuracy", Patience = 0 });

        var result = new Trainer(model, spec, seed: 1).Fit(Data(train: 10));

        Assert.Equal("accuracy", result.Monitor);
        Assert.Equal(2, result.History.Count); // training accuracy stays at 1.0: no improvement in epoch 2
    }

    [Fact]
    public void Without_early_stopping_every_epoch_runs_and_the_best_epoch_is_still_reported()
    {
        var model = new ScriptedModel([0.5, 0.2, 0.3], batchesPerEpoch: 1);

        var result = new Trainer(model, Training(3), seed: 1).Fit(Data(train: 10));

        Assert.Equal(3, result.History.Count);
        Assert.Equal(2, result.BestEpoch);
        Assert.False(result.RestoredBestWeights);
        Assert.Equal(3f, model.Weight);
    }

    [Fact]
    public void Epoch_metrics_weight_each_batch_by_its_size_and_use_keras_names()
    {
        var model = new ScriptedModel([0.5], batchesPerEpoch: 3);

        var result = new Trainer(model, Training(1, batchSize: 10), seed: 1).Fit(Data(train: 25));

        Assert.Equal([10, 10, 5], model.BatchSizes);
        var epoch = result.History.Single();
        Assert.Equal(["loss", "accuracy", "val_loss", "val_accuracy"], epoch.Values.Keys);
        Assert.Equal(0.5, epoch["loss"], 12);
        Assert.Equal(1.0, epoch["accuracy"]);
        Assert.Equal(0.0, epoch["val_accuracy"]);
        Assert.Equal(0.1, epoch.LearningRate);
    }

    [Fact]
    public void A_non_finite_loss_stops_training_naming_the_epoch_and_batch()
    {
        var model = new ScriptedModel([0.5], batchesPerEpoch: 2) { TrainLoss = double.NaN };

        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(model, Training(2), seed: 1).Fit(Data(train: 20)));

        Assert.Equal((1, 1), (e.Epoch, e.Batch));
    }

    [Fact]
    public void Cancellation_stops_at_the_next_batch()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Trainer(new ScriptedModel([0.5], 1), Training(2), seed: 1).Fit(Data(train: 10), cancel.Token));
    }

    [Fact]
    public void Shuffling_is_seeded()
    {
        List<int> Order(int seed)
        {
            var seen = new List<int>();
            var data = Data(train: 20);
            var tokens = Enumerable.Range(0, 20).SelectMany(i => new[] { i, 0, 0 }).ToArray();
            var train = new SequenceDataset(Binary, 20, tokens, null, new int[20], null);
            var model = new RecordingModel(seen);
            new Trainer(model, Training(1, batchSize: 5), seed).Fit(data with { Train = train });
            return seen;
        }

        Assert.Equal(Order(3), Order(3));
        Assert.NotEqual(Order(3), Order(4));
        Assert.NotEqual(Enumerable.Range(0, 20), Order(3));
    }

    private sealed class RecordingModel(List<int> firstTokens) : ITrainableModel
    {
        public BatchResult TrainStep(Batch batch)
        {
            for (var i = 0; i < batch.Count; i++) firstTokens.Add(batch.TokenIds[i * 3]);
            return new BatchResult(0.1, new float[batch.Count]);
        }

        public BatchResult Evaluate(Batch batch) => new(0.1, new float[batch.Count]);
        public ReadOnlyMemory<float> Predict(Batch batch) => new float[batch.Count];

        public IReadOnlyList<NamedTensor> OutputGradients(Batch batch, int output) => throw new NotSupportedException("a recording model has no weights");

        public IReadOnlyList<NamedTensor> LastGradients() => [];
        public double LearningRate { get; set; } = 0.1;
        public IReadOnlyList<NamedTensor> GetWeights() => [];
        public void SetWeights(IReadOnlyList<NamedTensor> weights) { }
        public void SaveTrainingState(Stream stream) { }
        public void LoadTrainingState(Stream stream) { }
        public void Dispose() { }
    }
}
