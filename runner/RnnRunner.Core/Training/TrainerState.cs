using RnnRunner.Core.Engines;

namespace RnnRunner.Core.Training;

/// <summary>
/// Where training stands after a completed epoch — everything outside the model that a resumed run needs to
/// continue exactly as an unbroken one: the history, early stopping's counters and the best epoch's weights.
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
    public int EpochsDone => History.Count;
}
