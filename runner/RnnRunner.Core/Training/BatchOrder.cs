using RnnRunner.Core.Data;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Training;

/// <summary>
/// Which examples form each batch, and in what order the batches run: a pure function of the data's lengths, the
/// batching settings, the seed and the epoch, so a resumed run sees exactly the batches it would have seen.
/// </summary>
public static class BatchOrder
{
    /// <summary>
    /// One epoch of training batches. Fixed-length batching cuts the epoch's shuffled order into consecutive
    /// batches (as Keras' fit does). By-length batching sorts the shuffled examples into bands of bucket_width
    /// steps (stable, so each band keeps the shuffled order), cuts the bands' concatenation into batches — only
    /// where two bands meet does a batch mix lengths — and shuffles the batches themselves.
    /// </summary>
    public static IReadOnlyList<int[]> Training(SequenceDataset data, TrainingSpec training, int seed, int epoch)
    {
        var order = training.Shuffle
            ? SeededRandom.Permutation(SeededRandom.For(seed, $"shuffle/epoch-{epoch}"), data.Count)
            : Enumerable.Range(0, data.Count).ToArray();
        if (!training.Batching.ByLength) return Chunk(order, training.BatchSize);

        var width = training.Batching.BucketWidth;
        var banded = order.OrderBy(i => Math.Max(0, data.LengthOf(i) - 1) / width).ToArray(); // OrderBy is stable
        var batches = Chunk(banded, training.BatchSize);
        if (training.Shuffle) SeededRandom.For(seed, $"batches/epoch-{epoch}").Shuffle(batches);
        return batches;
    }

    /// <summary>
    /// Batches for evaluating a split: in order, or by length (shortest first, ties in order) so each batch pads
    /// little. Metrics are means over examples, so the order changes only float summation.
    /// </summary>
    public static IReadOnlyList<int[]> Evaluation(SequenceDataset data, TrainingSpec training)
    {
        var order = Enumerable.Range(0, data.Count);
        if (training.Batching.ByLength) order = order.OrderBy(data.LengthOf);
        return Chunk(order.ToArray(), training.BatchSize);
    }

    private static int[][] Chunk(int[] order, int size) => order.Chunk(size).ToArray();
}
