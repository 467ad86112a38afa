using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data;

/// <summary>
/// Examples held in flat arrays. Token ids are stored ragged — each example's real tokens one after another, with
/// <see cref="Offsets"/> — and padded only when a batch is filled, to that batch's length; so whole IMDB reviews
/// cost what their words cost, not 2,500 slots each. Features are (N, T, F); targets (N) or (N, T) class indexes,
/// or (N, T, W) regression values. Flat arrays keep batching a copy, not a loop of objects.
/// </summary>
public sealed class SequenceDataset
{
    public DataSignature Signature { get; }
    public int Count { get; }
    /// <summary>Every example's token ids, example after example, without padding (token inputs only).</summary>
    public int[]? Tokens { get; }
    /// <summary>(N + 1): example n's tokens are Tokens[Offsets[n] .. Offsets[n + 1]) (token inputs only).</summary>
    public int[]? Offsets { get; }
    /// <summary>Where a batch longer than an example puts the example's padding zeros: before it (Keras' default) or after.</summary>
    public SequenceSide Padding { get; }
    /// <summary>(N, T, F) when <see cref="InputKind.Features"/>.</summary>
    public float[]? Features { get; }
    /// <summary>(N) or (N, T) class indexes for classification targets.</summary>
    public int[]? Labels { get; }
    /// <summary>(N, T, W) for regression targets.</summary>
    public float[]? Values { get; }

    /// <summary>Fixed-length examples: tokens (N, T) or features (N, T, F), every one exactly <see cref="DataSignature.Steps"/> long.</summary>
    public SequenceDataset(DataSignature signature, int count, int[]? tokens, float[]? features, int[]? labels, float[]? values)
        : this(signature, count, tokens, tokens is null ? null : FixedOffsets(count, signature.Steps), SequenceSide.Pre, features, labels, values) { }

    private SequenceDataset(DataSignature signature, int count, int[]? tokens, int[]? offsets, SequenceSide padding,
        float[]? features, int[]? labels, float[]? values)
    {
        (Signature, Count, Tokens, Offsets, Padding, Features, Labels, Values) =
            (signature, count, tokens, offsets, padding, features, labels, values);
        if (signature.Input == InputKind.Tokens) CheckTokens();
        else if (features?.Length != count * signature.InputsPerExample)
            throw new ArgumentException($"inputs hold {features?.Length ?? -1} values; expected {count} x {signature.InputsPerExample}");
        var targetLength = (signature.IsClassification ? labels?.Length : values?.Length) ?? -1;
        if (targetLength != count * signature.TargetsPerExample)
            throw new ArgumentException($"targets hold {targetLength} values; expected {count} x {signature.TargetsPerExample}");
    }

    /// <summary>Variable-length token examples: <paramref name="tokens"/> back to back, example n from offsets[n] to offsets[n + 1].</summary>
    public static SequenceDataset Ragged(DataSignature signature, int[] tokens, int[] offsets, SequenceSide padding, int[]? labels, float[]? values = null) =>
        new(signature, offsets.Length - 1, tokens, offsets, padding, null, labels, values);

    /// <summary>
    /// Sequences of the signature's length to run through a model with no answers to check (every target zero):
    /// what inspection feeds a model. <paramref name="tokens"/> or <paramref name="features"/> hold the examples back to back.
    /// </summary>
    public static SequenceDataset Unlabelled(DataSignature signature, int count, int[]? tokens, float[]? features)
    {
        var targets = count * signature.TargetsPerExample;
        return new SequenceDataset(signature, count, tokens, features, signature.IsClassification ? new int[targets] : null,
            signature.IsClassification ? null : new float[targets]);
    }

    /// <summary>Variable-length token rows with no answers to check, padded on <paramref name="padding"/>'s side when batched.</summary>
    public static SequenceDataset UnlabelledRows(DataSignature signature, IReadOnlyList<int[]> rows, SequenceSide padding)
    {
        var targets = rows.Count * signature.TargetsPerExample;
        return FromRows(signature, rows, signature.IsClassification ? new int[targets] : null, padding, signature.IsClassification ? null : new float[targets]);
    }

    /// <summary>Every example in one batch, in order.</summary>
    public Batch AllInOneBatch()
    {
        var batch = new Batch(Signature, Count);
        FillBatch(Enumerable.Range(0, Count).ToArray(), batch);
        return batch;
    }

    /// <summary>Variable-length token examples from one id array per example, with class labels or regression values.</summary>
    public static SequenceDataset FromRows(DataSignature signature, IReadOnlyList<int[]> rows, int[]? labels, SequenceSide padding, float[]? values = null)
    {
        var offsets = new int[rows.Count + 1];
        for (var i = 0; i < rows.Count; i++) offsets[i + 1] = checked(offsets[i] + rows[i].Length);
        var tokens = new int[offsets[^1]];
        for (var i = 0; i < rows.Count; i++) rows[i].CopyTo(tokens, offsets[i]);
        return Ragged(signature, tokens, offsets, padding, labels, values);
    }

    private void CheckTokens()
    {
        if (Tokens is null || Offsets is null || Offsets.Length != Count + 1 || Offsets[0] != 0 || Offsets[^1] != Tokens.Length)
            throw new ArgumentException($"token ids and offsets do not describe {Count} examples");
        for (var n = 0; n < Count; n++)
            if (LengthOf(n) is var length && (length < 0 || length > Signature.Steps))
                throw new ArgumentException($"example {n} has {length} tokens; at most {Signature.Steps} fit");
    }

    private static int[] FixedOffsets(int count, int steps) => Enumerable.Range(0, count + 1).Select(n => n * steps).ToArray();

    /// <summary>Real time steps of example <paramref name="n"/> (its tokens; every step for feature data).</summary>
    public int LengthOf(int n) => Offsets is null ? Signature.Steps : Offsets[n + 1] - Offsets[n];

    /// <summary>The real tokens of example <paramref name="n"/>.</summary>
    public ReadOnlySpan<int> TokensOf(int n) => Tokens.AsSpan(Offsets![n], LengthOf(n));

    /// <summary>Every example's length, in order.</summary>
    public int[] Lengths() => Enumerable.Range(0, Count).Select(LengthOf).ToArray();

    /// <summary>A new dataset holding the examples at <paramref name="indices"/>, in that order.</summary>
    public SequenceDataset Select(IReadOnlyList<int> indices)
    {
        int inWidth = Signature.InputsPerExample, outWidth = Signature.TargetsPerExample;
        int[]? tokens = null, offsets = null;
        if (Tokens is not null)
        {
            offsets = new int[indices.Count + 1];
            for (var i = 0; i < indices.Count; i++) offsets[i + 1] = offsets[i] + LengthOf(indices[i]);
            tokens = new int[offsets[^1]];
            for (var i = 0; i < indices.Count; i++) TokensOf(indices[i]).CopyTo(tokens.AsSpan(offsets[i]));
        }
        return new SequenceDataset(Signature, indices.Count, tokens, offsets, Padding,
            Gather(Features, indices, inWidth), Gather(Labels, indices, outWidth), Gather(Values, indices, outWidth));
    }

    /// <summary>
    /// Copies the examples at <paramref name="indices"/> into <paramref name="batch"/>'s buffers, padding each with id
    /// 0 on its <see cref="Padding"/> side to the data's full length, or, with <paramref name="toLongest"/>, only to the
    /// longest of these examples (length-bucketed batches).
    /// </summary>
    public void FillBatch(ReadOnlySpan<int> indices, Batch batch, bool toLongest = false)
    {
        var steps = Signature.Steps;
        if (toLongest && Offsets is not null)
        {
            steps = 0;
            foreach (var row in indices) steps = Math.Max(steps, LengthOf(row));
            steps = Math.Max(steps, 1);
        }
        batch.Resize(indices.Length, steps);
        int inWidth = Signature.InputsPerExample, outWidth = Signature.TargetsPerExample;
        for (var i = 0; i < indices.Length; i++)
        {
            var row = indices[i];
            batch.Lengths[i] = LengthOf(row);
            if (Tokens is not null)
            {
                var target = batch.Tokens.AsSpan(i * steps, steps);
                var real = TokensOf(row);
                target.Clear();
                real.CopyTo(Padding == SequenceSide.Pre ? target[(steps - real.Length)..] : target);
            }
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
/// A reusable batch buffer (allocated once per run at the largest batch size and the data's longest sequence).
/// Only the first <see cref="Count"/> examples and <see cref="Steps"/> steps are valid; spans below expose exactly
/// those.
/// </summary>
public sealed class Batch(DataSignature signature, int capacity)
{
    public DataSignature Signature { get; } = signature;
    public int Count { get; private set; }

    /// <summary>Time steps of this batch: the data's full length, or the longest example's in a length-bucketed batch.</summary>
    public int Steps { get; private set; } = signature.Steps;

    internal int[] Tokens { get; } = new int[signature.Input == InputKind.Tokens ? capacity * signature.InputsPerExample : 0];
    internal float[] Features { get; } = new float[signature.Input == InputKind.Features ? capacity * signature.InputsPerExample : 0];
    internal int[] Labels { get; } = new int[signature.IsClassification ? capacity * signature.TargetsPerExample : 0];
    internal float[] Values { get; } = new float[signature.IsClassification ? 0 : capacity * signature.TargetsPerExample];
    internal int[] Lengths { get; } = new int[capacity];

    /// <summary>(Count, Steps) token ids, padded with 0.</summary>
    public ReadOnlySpan<int> TokenIds => Tokens.AsSpan(0, Count * Steps);
    public ReadOnlySpan<float> InputFeatures => Features.AsSpan(0, Count * Signature.InputsPerExample);
    public ReadOnlySpan<int> TargetLabels => Labels.AsSpan(0, Count * Signature.TargetsPerExample);
    public ReadOnlySpan<float> TargetValues => Values.AsSpan(0, Count * Signature.TargetsPerExample);

    /// <summary>Each example's real length in steps (before padding).</summary>
    public ReadOnlySpan<int> ExampleLengths => Lengths.AsSpan(0, Count);

    internal void Resize(int count, int steps)
    {
        if (count > capacity) throw new ArgumentOutOfRangeException(nameof(count), $"batch holds at most {capacity}");
        if (steps > Signature.Steps) throw new ArgumentOutOfRangeException(nameof(steps), $"batch steps are at most {Signature.Steps}");
        (Count, Steps) = (count, steps);
    }
}

/// <summary>The three splits a run uses; validation is empty when the spec's validation_split is 0.</summary>
public sealed record DatasetSplits(SequenceDataset Train, SequenceDataset Validation, SequenceDataset Test)
{
    public Text.Vocabulary? Vocabulary { get; init; }
    public Text.PreprocessingReport? Report { get; init; }
    public IDataReport? NumericReport { get; init; }
}
