using RnnRunner.Core.Data;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;

namespace RnnRunner.Tests.Support;

/// <summary>Real batches from a spec's data, for tests that drive an engine directly.</summary>
public static class Batches
{
    /// <summary>The first <paramref name="count"/> training examples (default: the spec's batch size) as one batch.</summary>
    public static Batch FirstTraining(LoadedSpec loaded, int? count = null)
    {
        var n = count ?? loaded.Spec.Training.BatchSize;
        var splits = DataSources.LoadSplits(loaded.Spec.Data, 0.2, loaded.Spec.Seed);
        var batch = new Batch(splits.Train.Signature, n);
        splits.Train.FillBatch(Enumerable.Range(0, n).ToArray(), batch);
        return batch;
    }
}
