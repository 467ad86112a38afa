namespace RnnRunner.Core.Engines;

/// <summary>
/// Which steps of a shard's sequences are real (token id ≠ 0, Keras' mask_zero) and the index maps that let a
/// recurrent layer skip the rest exactly: it runs on the real steps packed to the front ("compact" time), and
/// maps its outputs back. Every map is time-major, [t·batch + b], and −1 means "no step: zero".
/// Any mask pattern works, not only leading or trailing padding: packing a row's real steps in order is what
/// "skipping masked steps" means. Both engines build their gathers from these maps.
/// </summary>
public sealed class SequenceMask
{
    /// <param name="tokens">(batch, steps) token ids, batch-major as a batch holds them.</param>
    public SequenceMask(ReadOnlySpan<int> tokens, int batch, int steps)
    {
        (Batch, Steps) = (batch, steps);
        Lengths = new int[batch];
        Real = new bool[steps * batch];
        for (var b = 0; b < batch; b++)
            for (var t = 0; t < steps; t++)
                if (tokens[b * steps + t] != 0) { Real[t * batch + b] = true; Lengths[b]++; }
        CompactSteps = Math.Max(1, Lengths.Max());

        Compact = Filled(CompactSteps * batch);
        Reverse = Filled(CompactSteps * batch);
        Carry = Filled(steps * batch);
        Zero = Filled(steps * batch);
        for (var b = 0; b < batch; b++)
        {
            var packed = 0;
            for (var t = 0; t < steps; t++)
            {
                if (Real[t * batch + b]) { Compact[packed * batch + b] = t; Zero[t * batch + b] = packed; packed++; }
                Carry[t * batch + b] = packed - 1;
            }
            for (var c = 0; c < Lengths[b]; c++) Reverse[c * batch + b] = Lengths[b] - 1 - c;
        }
    }

    public int Batch { get; }
    public int Steps { get; }

    /// <summary>Real steps per row.</summary>
    public int[] Lengths { get; }

    /// <summary>(steps, batch): whether step t of row b is real.</summary>
    public bool[] Real { get; }

    /// <summary>The longest row's real steps (at least 1): the length of compact time.</summary>
    public int CompactSteps { get; }

    /// <summary>(compact, batch) → the original step of the c-th real step.</summary>
    public int[] Compact { get; }

    /// <summary>(compact, batch) → the compact step read when a row's real steps run backwards (an involution).</summary>
    public int[] Reverse { get; }

    /// <summary>(steps, batch) → the compact step of the last real step at or before t: Keras' output at a masked step repeats the last one.</summary>
    public int[] Carry { get; }

    /// <summary>(steps, batch) → the compact step of t if t is real: zeros at masked steps (Keras' bidirectional outputs).</summary>
    public int[] Zero { get; }

    private static int[] Filled(int length)
    {
        var map = new int[length];
        Array.Fill(map, -1);
        return map;
    }
}
