using System.Numerics;
using RnnRunner.Engines.Scratch.Maths;

namespace RnnRunner.Engines.Scratch.Layers;

/// <summary>
/// One spec layer: its parameters (shared by every shard of a batch, read-only during a pass) and a factory for
/// workspaces (one per shard: activations kept for backpropagation, and the shard's parameter gradients).
/// </summary>
internal abstract class ScratchLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public abstract IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Called after the parameters change (optimizer step, loaded weights): refresh derived copies.</summary>
    public virtual void ParametersChanged() { }

}

/// <summary>A layer that maps activations to activations (every layer but the embedding, which maps token ids).</summary>
internal abstract class SequenceLayer<T> : ScratchLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A workspace for one shard of a batch.</summary>
    public abstract LayerWorkspace<T> CreateWorkspace();
}

/// <summary>What a forward pass needs to know besides its input: training or inference, and where its dropout masks come from.</summary>
/// <param name="Training">Dropout is active and activations are kept for the backward pass.</param>
/// <param name="Seed">The model's seed; with <paramref name="Step"/>, the layer index and the example's index in
/// the batch it derives each example's dropout stream, so masks do not depend on how a batch is sharded.</param>
/// <param name="FirstExample">Index in the whole batch of the shard's first example.</param>
internal readonly record struct PassContext(bool Training, ulong Seed, ulong Step, int Layer, int FirstExample)
{
    public RandomStream ExampleStream(int example) =>
        RandomStream.Derive(Seed, Step, (ulong)Layer, (ulong)(FirstExample + example));
}

/// <summary>A layer's per-shard state: buffers kept between the forward and the backward pass, and the shard's gradients.</summary>
internal abstract class LayerGradients<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    protected LayerGradients(ScratchLayer<T> layer) =>
        Gradients = layer.Parameters.Select(p => new T[p.Values.Length]).ToArray();

    /// <summary>One gradient per parameter, in <see cref="ScratchLayer{T}.Parameters"/> order; summed over backward passes until cleared.</summary>
    public T[][] Gradients { get; }

    public void ClearGradients()
    {
        foreach (var g in Gradients) Array.Clear(g);
    }

    /// <summary>Returns <paramref name="buffer"/> if it holds <paramref name="length"/> values, else a new array: buffers grow once and are then reused.</summary>
    protected static T[] Ensure(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = new T[length];
        return buffer;
    }
}

/// <summary>Forward and backward for a <see cref="SequenceLayer{T}"/>.</summary>
internal abstract class LayerWorkspace<T>(ScratchLayer<T> layer) : LayerGradients<T>(layer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public abstract Activations<T> Forward(Activations<T> input, PassContext context);

    /// <summary>
    /// Gradient of the loss with respect to the last forward pass's input, given the gradient at its output;
    /// adds this pass's parameter gradients to <see cref="LayerGradients{T}.Gradients"/>.
    /// </summary>
    public abstract Activations<T> Backward(Activations<T> outputGradient);
}
