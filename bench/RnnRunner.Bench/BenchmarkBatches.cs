using RnnRunner.Core.Data;
using RnnRunner.Core.Loading;

namespace RnnRunner.Bench;

/// <summary>What the step-timing benchmarks share: one reproducible random batch, and a steady-state mean time.</summary>
public static class BenchmarkBatches
{
    /// <summary>One full batch of random token ids and labels shaped as <paramref name="loaded"/>'s data (seeded).</summary>
    public static Batch RandomTokens(LoadedSpec loaded) => SyntheticBatch.For(loaded.Plan.Data, loaded.Spec.Training.BatchSize);

    /// <summary>Mean milliseconds of <paramref name="step"/> after one warm-up call: at least 3 calls and 2 s.</summary>
    public static double MeanMilliseconds(Action step) => Core.Engines.StepTimer.MeanMilliseconds(step);
}
