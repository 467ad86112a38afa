using RnnRunner.Core.Loading;
using System.Diagnostics;
using RnnRunner.Core.Data;
using RnnRunner.Core.Specs;

namespace RnnRunner.Cli.Benchmarks;

/// <summary>What the step-timing benchmarks share: one reproducible random batch, and a steady-state mean time.</summary>
public static class BenchmarkBatches
{
    /// <summary>One full batch of random token ids and binary labels shaped as <paramref name="loaded"/>'s data (seeded).</summary>
    public static Batch RandomTokens(LoadedSpec loaded)
    {
        var signature = loaded.Plan.Data;
        var batchSize = loaded.Spec.Training.BatchSize;
        var random = new Random(1);
        var dataset = new SequenceDataset(signature, batchSize,
            Enumerable.Range(0, batchSize * signature.Steps).Select(_ => random.Next(1, signature.InputWidth)).ToArray(), null,
            Enumerable.Range(0, batchSize).Select(_ => random.Next(2)).ToArray(), null);
        var batch = new Batch(signature, batchSize);
        dataset.FillBatch(Enumerable.Range(0, batchSize).ToArray(), batch);
        return batch;
    }

    /// <summary>Mean milliseconds of <paramref name="step"/> after one warm-up call: at least 3 calls and 2 s.</summary>
    public static double MeanMilliseconds(Action step)
    {
        step();
        var clock = Stopwatch.StartNew();
        var steps = 0;
        while (steps < 3 || clock.Elapsed.TotalSeconds < 2)
        {
            step();
            steps++;
        }
        return clock.Elapsed.TotalMilliseconds / steps;
    }
}
