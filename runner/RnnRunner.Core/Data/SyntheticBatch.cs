namespace RnnRunner.Core.Data;

/// <summary>
/// One full batch of seeded random examples of a data signature's shape — token ids that are never padding, features
/// in [-1, 1), labels of every class, regression values — for timing a model's steps without its data (engine
/// calibration, benchmarks). A step costs the same whatever the values, so the timings stand for the real batches.
/// </summary>
public static class SyntheticBatch
{
    public static Batch For(DataSignature signature, int batchSize, int seed = 1)
    {
        var random = new Random(seed);
        var tokens = signature.Input == InputKind.Tokens
            ? Enumerable.Range(0, batchSize * signature.Steps).Select(_ => random.Next(1, Math.Max(2, signature.InputWidth))).ToArray()
            : null;
        var features = signature.Input == InputKind.Features
            ? Enumerable.Range(0, batchSize * signature.InputsPerExample).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray()
            : null;
        var targets = batchSize * signature.TargetsPerExample;
        var labels = signature.IsClassification ? Enumerable.Range(0, targets).Select(_ => random.Next(signature.TargetWidth)).ToArray() : null;
        var values = signature.IsClassification ? null : Enumerable.Range(0, targets).Select(_ => (float)random.NextDouble()).ToArray();
        var batch = new Batch(signature, batchSize);
        new SequenceDataset(signature, batchSize, tokens, features, labels, values).FillBatch(Enumerable.Range(0, batchSize).ToArray(), batch);
        return batch;
    }
}
