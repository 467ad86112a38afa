using System.Diagnostics;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Training;

/// <summary>Hears about training as it happens: progress displays, the metrics writer, the log.</summary>
public interface ITrainingObserver
{
    void EpochStarted(int epoch, int epochs, int batches) { }
    void BatchCompleted(int epoch, int batch, double loss) { }
    void EpochCompleted(EpochMetrics metrics, bool isBest) { }

    /// <summary>After each completed epoch, with the state a checkpoint needs (the model is at that epoch too).</summary>
    void Checkpoint(TrainerState state) { }

    /// <summary>Before a resumed run trains on, with the epochs its checkpoint holds (a study's gate catches up on them).</summary>
    void Resumed(IReadOnlyList<EpochMetrics> history) { }
}

/// <summary>Raised when the loss stops being a finite number; the run ends with status diverged.</summary>
public sealed class TrainingDivergedException(int epoch, int batch, double loss)
    : Exception($"loss became {loss} at epoch {epoch}, batch {batch}")
{
    public int Epoch { get; } = epoch;
    public int Batch { get; } = batch;
}

/// <summary>
/// Raised by a study's gate after an epoch (its checkpoint written) to stop training there: paused at an ASHA rung,
/// to be continued from the checkpoint if promoted, or pruned for good.
/// </summary>
public sealed class TrainingStoppedException(int epoch, bool pruned, string message) : Exception(message)
{
    public int Epoch { get; } = epoch;
    public bool Pruned { get; } = pruned;
}

public sealed record TrainingResult(
    IReadOnlyList<EpochMetrics> History,
    string Monitor,
    int BestEpoch,
    double BestValue,
    bool StoppedEarly,
    bool RestoredBestWeights,
    IReadOnlyDictionary<string, double> TestMetrics)
{
    /// <summary>Every test target's prediction (predictions.csv), in the order the test split was evaluated.</summary>
    public IReadOnlyList<TestPrediction> TestPredictions { get; init; } = [];
}

/// <summary>
/// The one training loop, for every engine: seeded shuffling, batching, metrics, validation, early stopping
/// with best-weights restore, and a final test evaluation. Engines only do forward/backward/step.
/// </summary>
public sealed class Trainer(ITrainableModel model, TrainingSpec training, int seed, ITrainingObserver? observer = null)
{
    private readonly ITrainingObserver _observer = observer ?? new NullObserver();

    /// <summary>
    /// Trains from scratch, or from <paramref name="resume"/> (a checkpoint of this same run) on: the model must
    /// already hold that checkpoint's training state.
    /// </summary>
    public TrainingResult Fit(DatasetSplits data, CancellationToken cancellation = default, TrainerState? resume = null)
    {
        var signature = data.Train.Signature;
        var batch = new Batch(signature, training.BatchSize);
        var stopping = new EarlyStopping(training);
        var plateau = new LearningRatePlateau(training);
        var history = new List<EpochMetrics>(resume?.History ?? []);
        var bestWeights = resume?.BestWeights;
        var stoppedEarly = resume?.StoppedEarly ?? false;
        if (resume is not null)
        {
            stopping.Restore((resume.BestEpoch, resume.BestValue, resume.EpochsWithoutImprovement));
            if (resume.Plateau is { } plateauState) plateau.Restore(plateauState);
            if (resume.LearningRate is { } rate) model.LearningRate = rate;
        }
        var batches = (data.Train.Count + training.BatchSize - 1) / training.BatchSize;

        for (var epoch = history.Count + 1; epoch <= training.Epochs && !stoppedEarly; epoch++)
        {
            var clock = CpuClock.Start();
            _observer.EpochStarted(epoch, training.Epochs, batches);
            var order = BatchOrder.Training(data.Train, training, seed, epoch);

            var trainMetrics = new MetricAccumulator(signature, training.Metrics, model.MasksOutputSteps);
            var norms = new Dictionary<string, double>();
            for (var b = 0; b < batches; b++)
            {
                cancellation.ThrowIfCancellationRequested();
                data.Train.FillBatch(order[b], batch, training.Batching.ByLength);
                var result = model.TrainStep(batch);
                if (!double.IsFinite(result.Loss)) throw new TrainingDivergedException(epoch, b + 1, result.Loss);
                trainMetrics.Add(batch, result);
                foreach (var (name, norm) in model.GradientNorms ?? new Dictionary<string, double>()) norms[name] = norms.GetValueOrDefault(name) + norm / batches;
                _observer.BatchCompleted(epoch, b + 1, result.Loss);
            }

            var values = new Dictionary<string, double>(trainMetrics.Results());
            foreach (var (name, norm) in norms) values[name] = norm;
            if (data.Validation.Count > 0)
                foreach (var (name, value) in Evaluate(data.Validation, batch, DataSplit.Validation, cancellation))
                    values[name] = value;
            var spent = clock.Elapsed();
            var metrics = new EpochMetrics(epoch, values, model.LearningRate, spent.WallSeconds) { CpuSeconds = spent.CpuSeconds, OthersCpuShare = spent.OthersShare };
            history.Add(metrics);

            var isBest = stopping.Observe(metrics);
            if (isBest && stopping.RestoreBestWeights) bestWeights = model.GetWeights();
            stoppedEarly = stopping.ShouldStop;
            model.LearningRate = plateau.Next(metrics, model.LearningRate);
            // Checkpoint first: an epoch that appears in metrics.csv can always be resumed from.
            var (bestEpoch, bestValue, waited) = stopping.State;
            _observer.Checkpoint(new TrainerState(history.ToList(), bestEpoch, bestValue, waited, stoppedEarly, bestWeights)
            {
                Plateau = plateau.State,
                LearningRate = model.LearningRate,
            });
            _observer.EpochCompleted(metrics, isBest);
        }

        var restored = false;
        if (bestWeights is not null && stopping.BestEpoch != history[^1].Epoch)
        {
            model.SetWeights(bestWeights);
            restored = true;
        }
        var predictions = new TestPredictions(data.Test.Signature, model.MasksOutputSteps);
        var test = data.Test.Count > 0
            ? Evaluate(data.Test, batch, DataSplit.Test, cancellation, predictions).ToDictionary()
            : new Dictionary<string, double>();
        return new TrainingResult(history, stopping.Monitor, stopping.BestEpoch, stopping.BestValue, stoppedEarly, restored, test)
        {
            TestPredictions = predictions.Rows,
        };
    }

    /// <summary>Loss and metrics over a whole split, in inference mode, in order, named for <paramref name="as"/>.</summary>
    /// <param name="predictions">Where each target's prediction goes, when they are kept (the test split's).</param>
    public IEnumerable<KeyValuePair<string, double>> Evaluate(SequenceDataset split, Batch batch, DataSplit @as, CancellationToken cancellation,
        TestPredictions? predictions = null)
    {
        var accumulator = new MetricAccumulator(split.Signature, training.Metrics, model.MasksOutputSteps);
        foreach (var indices in BatchOrder.Evaluation(split, training))
        {
            cancellation.ThrowIfCancellationRequested();
            split.FillBatch(indices, batch, training.Batching.ByLength);
            var result = model.Evaluate(batch);
            accumulator.Add(batch, result);
            predictions?.Add(batch, indices, result);
        }
        return accumulator.Results(@as).ToList();
    }

    private sealed class NullObserver : ITrainingObserver;
}
