using RnnRunner.Core.Engines;
namespace RnnRunner.Engines.Scratch.Layers;

/// <summary>
/// One shard's activations between layers. Sequences are time-major, (steps, batch, features), so the batch
/// slice of one time step is contiguous — what the recurrent loops read and write. After a layer that returns
/// only its last output the shape is (batch, features) and <see cref="Steps"/> is 0. A sequence under a padding
/// mask carries it in <see cref="Mask"/>; <see cref="With"/> keeps it, so layers that act per step pass it on.
/// </summary>
internal readonly record struct Activations<T>(T[] Data, int Steps, int Batch, int Features, SequenceMask? Mask = null)
{
    public bool IsSequence => Steps > 0;

    /// <summary>Rows of the (rows, features) matrix these activations are: steps·batch, or batch.</summary>
    public int Rows => IsSequence ? Steps * Batch : Batch;

    public int Length => Rows * Features;

    public Span<T> Span => Data.AsSpan(0, Length);

    /// <summary>The (batch, features) slice of time step <paramref name="t"/>.</summary>
    public Span<T> Step(int t) => Data.AsSpan(t * Batch * Features, Batch * Features);

    public Activations<T> With(T[] data, int features) => this with { Data = data, Features = features };
}
