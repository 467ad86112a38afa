namespace RnnRunner.Core.Data;

/// <summary>
/// Examples held in flat row-major arrays: inputs (N, T) token ids or (N, T, F) features; targets (N) or
/// (N, T) class indexes, or (N, T, W) regression values. Flat arrays keep batching a copy, not a loop of objects.
/// </summary>
public sealed class SequenceDataset
{
    public DataSignature Signature { get; }
    public int Count { get; }
    /// <summary>(N, T) token ids when <see cref="InputKind.Tokens"/>.</summary>
    public int[]? Tokens { get; }
    /// <summary>(N, T, F) when <see cref="InputKind.Features"/>.</summary>
    public float[]? Features { get; }
    /// <summary>(N) or (N, T) class indexes for classification targets.</summary>
    public int[]? Labels { get; }
    /// <summary>(N, T, W) for regression targets.</summary>
    public float[]? Values { get; }

    public SequenceDataset(DataSignature signature, int count, int[]? tokens, float[]? features, int[]? labels, float[]? values)
    {
        Signature = signature;
        Count = count;
        Tokens = tokens;
        Features = features;
        Labels = labels;
        Values = values;
        var inputLength = (signature.Input == InputKind.Tokens ? tokens?.Length : features?.Length) ?? -1;
        if (inputLength != count * signature.InputsPerExample)
            throw new ArgumentException($"inputs hold {inputLength} values; expected {count} x {signature.InputsPerExample}");
        var targetLength = (signature.IsClassification ? labels?.Length : values?.Length) ?? -1;
        if (targetLength != count * signature.TargetsPerExample)
            throw new ArgumentException($"targets hold {targetLength} values; expected {count} x {signature.TargetsPerExample}");
    }

    /// <summary>A new dataset holding the examples at <paramref name="indices"/>, in that order.</summary>
    public SequenceDataset Select(IReadOnlyList<int> indices)
    {
        int inWidth = Signature.InputsPerExample, outWidth = Signature.TargetsPerExample;
        return new SequenceDataset(Signature, indices.Count,
            Gather(Tokens, indices, inWidth), Gather(Features, indices, inWidth),
            Gather(Labels, indices, outWidth), Gather(Values, indices, outWidth));
    }

    /// <summary>Copies the examples at <paramref name="indices"/> into <paramref name="batch"/>'s buffers.</summary>
    public void FillBatch(ReadOnlySpan<int> indices, Batch batch)
    {
        batch.Resize(indices.Length);
        int inWidth = Signature.InputsPerExample, outWidth = Signature.TargetsPerExample;
        for (var i = 0; i < indices.Length; i++)
        {
            var row = indices[i];
            if (Tokens is not null) Tokens.AsSpan(row * inWidth, inWidth).CopyTo(batch.Tokens.AsSpan(i * inWidth));
            if (Features is not null) Features.AsSpan(row * inWidth, inWidth).CopyTo(batch.Features.AsSpan(i * inWidth));
            if (Labels is not null) Labels.AsSpan(row * outWidth, outWidth).CopyTo(batch.Labels.AsSpan(i * outWidth));
            if (Values is not null) Values.AsSpan(row * outWidth, outWidth).CopyTo(batch.Values.AsSpan(i * outWidth));
        }
    }

    private static T[]? Gather<T>(T[]? source, IReadOnlyList<int> indices, int width)
    {
        if (source is null) return null;
        var result = new T[indices.Count * width];
        for (var i = 0; i < indices.Count; i++)
            Array.Copy(source, indices[i] * width, result, i * width, width);
        return result;
    }
}

/// <summary>
/// A reusable batch buffer (allocated once per run at the largest batch size). Only the first
/// <see cref="Count"/> examples are valid; spans below expose exactly those.
/// </summary>
public sealed class Batch(DataSignature signature, int capacity)
{
    public DataSignature Signature { get; } = signature;
    public int Count { get; private set; }
    internal int[] Tokens { get; } = new int[signature.Input == InputKind.Tokens ? capacity * signature.InputsPerExample : 0];
    internal float[] Features { get; } = new float[signature.Input == InputKind.Features ? capacity * signature.InputsPerExample : 0];
    internal int[] Labels { get; } = new int[signature.IsClassification ? capacity * signature.TargetsPerExample : 0];
    internal float[] Values { get; } = new float[signature.IsClassification ? 0 : capacity * signature.TargetsPerExample];

    public ReadOnlySpan<int> TokenIds => Tokens.AsSpan(0, Count * Signature.InputsPerExample);
    public ReadOnlySpan<float> InputFeatures => Features.AsSpan(0, Count * Signature.InputsPerExample);
    public ReadOnlySpan<int> TargetLabels => Labels.AsSpan(0, Count * Signature.TargetsPerExample);
    public ReadOnlySpan<float> TargetValues => Values.AsSpan(0, Count * Signature.TargetsPerExample);

    internal void Resize(int count)
    {
        if (count > capacity) throw new ArgumentOutOfRangeException(nameof(count), $"batch holds at most {capacity}");
        Count = count;
    }
}

/// <summary>The three splits a run uses; validation is empty when the spec's validation_split is 0.</summary>
public sealed record DatasetSplits(SequenceDataset Train, SequenceDataset Validation, SequenceDataset Test)
{
    public Imdb.Vocabulary? Vocabulary { get; init; }
    public Imdb.PreprocessingReport? Report { get; init; }
}
