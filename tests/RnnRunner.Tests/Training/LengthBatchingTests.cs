using RnnRunner.Core.Data;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Training;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Training;

/// <summary>
/// training.batching.by_length: batches of similar lengths, padded only to their own longest — in an order that
/// is a pure function of (seed, epoch), and, under a mask, with the same results as fixed-length batches.
/// </summary>
[Collection(TorchCollection.Name)]
public class LengthBatchingTests
{
    private static readonly TrainingSpec ByLength = new()
    {
        Loss = LossKind.BinaryCrossentropy, BatchSize = 16, Batching = new BatchingSpec { ByLength = true, BucketWidth = 4 },
    };

    /// <summary>300 examples of 0 to 40 tokens.</summary>
    private static SequenceDataset Data()
    {
        var random = new Random(5);
        var rows = Enumerable.Range(0, 300).Select(_ => Enumerable.Repeat(1, random.Next(0, 41)).ToArray()).ToArray();
        var signature = new DataSignature(InputKind.Tokens, 2, 40, TargetKind.BinaryPerSequence, 2) { VariableLength = true, ZeroIsPadding = true };
        return SequenceDataset.FromRows(signature, rows, new int[rows.Length], SequenceSide.Pre);
    }

    [Fact]
    public void Every_example_is_in_exactly_one_batch_of_an_epoch_and_batches_hold_similar_lengths()
    {
        var data = Data();

        var batches = BatchOrder.Training(data, ByLength, seed: 1, epoch: 1);

        Assert.Equal(Enumerable.Range(0, 300), batches.SelectMany(b => b).Order());
        Assert.Equal((300 + 15) / 16, batches.Count);
        // Only where two bands of 4 steps meet can a batch span more than one band.
        Assert.All(batches, b => Assert.True(b.Max(data.LengthOf) - b.Min(data.LengthOf) < 8));
        var padded = batches.Sum(b => b.Length * Math.Max(1, b.Max(data.LengthOf)));
        var fixedLength = 300 * 40;
        Assert.True(padded < 0.6 * fixedLength, $"{padded} padded steps vs {fixedLength} at fixed length");
    }

    [Fact]
    public void The_order_is_a_pure_function_of_seed_and_epoch()
    {
        var data = Data();

        Assert.Equal(BatchOrder.Training(data, ByLength, 1, 3), BatchOrder.Training(data, ByLength, 1, 3));
        Assert.NotEqual(BatchOrder.Training(data, ByLength, 1, 3), BatchOrder.Training(data, ByLength, 1, 4));
        Assert.NotEqual(BatchOrder.Training(data, ByLength, 1, 3), BatchOrder.Training(data, ByLength, 2, 3));
        // Evaluation: shortest first, no randomness.
        var evaluation = BatchOrder.Evaluation(data, ByLength).SelectMany(b => b).ToArray();
        Assert.Equal(evaluation.OrderBy(data.LengthOf), evaluation.Select(i => i));
        Assert.True(evaluation.Select(data.LengthOf).Zip(evaluation.Skip(1).Select(data.LengthOf)).All(p => p.First <= p.Second));
    }

    [Fact]
    public void A_length_batch_is_padded_to_its_longest_example_on_the_data_s_padding_side()
    {
        var signature = new DataSignature(InputKind.Tokens, 10, 6, TargetKind.BinaryPerSequence, 2) { ZeroIsPadding = true };
        var pre = SequenceDataset.FromRows(signature, [[3, 4], [5, 6, 7], [8]], [0, 1, 0], SequenceSide.Pre);
        var post = SequenceDataset.FromRows(signature, [[3, 4], [5, 6, 7], [8]], [0, 1, 0], SequenceSide.Post);
        var batch = new Batch(signature, 3);

        pre.FillBatch([0, 1, 2], batch, toLongest: true);
        Assert.Equal(3, batch.Steps);
        Assert.Equal([0, 3, 4, 5, 6, 7, 0, 0, 8], batch.TokenIds.ToArray());
        Assert.Equal([2, 3, 1], batch.ExampleLengths.ToArray());

        post.FillBatch([2, 0], batch, toLongest: true);
        Assert.Equal([8, 0, 3, 4], batch.TokenIds.ToArray());

        post.FillBatch([2, 0], batch);
        Assert.Equal(6, batch.Steps);
    }

    /// <summary>metrics.csv without the timings.</summary>
    private static string[] Metrics(RunFolder folder) => MetricsFile.WithoutTimings(folder.Metrics);

    [Theory]
    [InlineData("scratch")]
    [InlineData("torch")]
    public void Under_a_mask_length_batches_train_exactly_as_fixed_length_ones(string engine)
    {
        // Same examples in the same batches (no shuffle, one band): only each batch's padding differs, and the mask
        // must make that invisible — to float32 accuracy, over three epochs of training.
        using var temp = new TempDirectory();
        string[] common = [$"engine={engine}", "data.min_length=0", "data.padding=post",
            "model=[{type: embedding, input_dim: 12, output_dim: 8, mask_zero: true}, {type: bidirectional, layer: {type: gru, units: 6, return_sequences: true}}, {type: global_max_pooling}, {type: dense, units: 1, activation: sigmoid}]",
            "training.shuffle=false", "training.epochs=3"];
        var fixedLength = TestRuns.New().Execute(Support.Specs.Load(Support.Specs.BasicRnn, common), new RunOptions(temp.File("fixed")));
        var bucketed = TestRuns.New().Execute(Support.Specs.Load(Support.Specs.BasicRnn,
            [.. common, "training.batching={by_length: true, bucket_width: 100}"]), new RunOptions(temp.File("bucketed")));

        Assert.Equal(RunStatus.Completed, bucketed.Summary.Status);
        var (a, b) = (Metrics(fixedLength.Folder), Metrics(bucketed.Folder));
        Assert.Equal(a[0], b[0]);
        foreach (var (x, y) in a.Skip(1).Zip(b.Skip(1)))
        {
            var (xs, ys) = (x.Split(',').Select(double.Parse).ToArray(), y.Split(',').Select(double.Parse).ToArray());
            for (var i = 0; i < xs.Length; i++) Assert.True(Math.Abs(xs[i] - ys[i]) <= 1e-5, $"{a[0]}: {x} vs {y}");
        }
    }

    [Fact]
    public void Without_a_mask_length_batches_see_less_padding_and_so_differ_from_fixed_length_ones()
    {
        // The documented difference: an unmasked model reads the padding, so padding only to the batch's longest changes its inputs.
        using var temp = new TempDirectory();
        string[] common = ["engine=scratch", "data.min_length=0", "training.shuffle=false", "training.epochs=1"];
        var fixedLength = TestRuns.New().Execute(Support.Specs.Load(Support.Specs.BasicRnn, common), new RunOptions(temp.File("fixed")));
        var bucketed = TestRuns.New().Execute(Support.Specs.Load(Support.Specs.BasicRnn,
            [.. common, "training.batching={by_length: true, bucket_width: 100}"]), new RunOptions(temp.File("bucketed")));

        Assert.NotEqual(Metrics(fixedLength.Folder), Metrics(bucketed.Folder));
    }
}
