using RnnRunner.Core.Engines;

namespace RnnRunner.Core.Training;

/// <summary>
/// Where training stands after a completed epoch — everything outside the model that a resumed run needs to
/// continue exactly as an unbroken one: the history, early stopping's counters, the best epoch's weights, and the
/// learning-rate schedule's counters and current rate.
/// The data order needs nothing: each epoch's shuffle is a pure function of (seed, epoch).
/// </summary>
public sealed record TrainerState(
    IReadOnlyList<EpochMetrics> History,
    int BestEpoch,
    double BestValue,
    int EpochsWithoutImprovement,
    bool StoppedEarly,
    IReadOnlyList<NamedTensor>? BestWeights)
{
    public LearningRatePlateau.PlateauState? Plateau { get; init; }

    /// <summary>The learning rate the next epoch runs at (null in checkpoints from before schedules existed).</summary>
    public double? LearningRate { get; init; }

    public int EpochsDone => History.Count;
}
