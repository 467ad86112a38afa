using System.Numerics;
using System.Numerics.Tensors;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Layers;

namespace RnnRunner.Engines.Scratch.Network;

/// <summary>
/// The losses, from the final layer's logits (its activation is applied here, fused, as libtorch's
/// binary_cross_entropy_with_logits and cross_entropy do). Each returns the summed loss of its rows and writes
/// d(mean loss)/d(logits) given the batch-wide count the mean divides by, plus the activated outputs.
/// </summary>
internal static class Losses
{
    /// <param name="logits">(rows, width), batch-major.</param>
    /// <param name="labels">Class ids (or 0/1) for classification, else empty.</param>
    /// <param name="values">Regression targets, else empty.</param>
    /// <param name="meanOver">How many terms the batch's mean loss divides by (all shards together).</param>
    /// <param name="realRows">Per row, whether it counts: a masked step adds no loss and gets no gradient (its
    /// outputs are still written; metrics skip them). Empty: every row counts.</param>
    public static double Compute<T>(LossKind loss, Activation outputActivation, ReadOnlySpan<T> logits, int width,
        ReadOnlySpan<int> labels, ReadOnlySpan<float> values, Span<T> outputs, Span<T> dLogits, double meanOver,
        ReadOnlySpan<bool> realRows = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scale = T.CreateChecked(1.0 / meanOver);
        var total = 0.0;
        switch (loss)
        {
            case LossKind.BinaryCrossentropy:
                // loss = max(z, 0) − z·y + log(1 + e^−|z|);  dz = σ(z) − y
                for (var i = 0; i < logits.Length; i++)
                {
                    var z = double.CreateChecked(logits[i]);
                    var p = 1 / (1 + Math.Exp(-z));
                    outputs[i] = T.CreateChecked(p);
                    if (!realRows.IsEmpty && !realRows[i]) { dLogits[i] = T.Zero; continue; }
                    var y = (double)labels[i];
                    total += Math.Max(z, 0) - z * y + Math.Log(1 + Math.Exp(-Math.Abs(z)));
                    dLogits[i] = T.CreateChecked(p - y) * scale;
                }
                break;
            case LossKind.SparseCategoricalCrossentropy:
                // loss = log Σ_j e^{z_j} − z_y;  dz = softmax(z) − onehot(y)
                for (int row = 0, rows = logits.Length / width; row < rows; row++)
                {
                    var z = logits.Slice(row * width, width);
                    var p = outputs.Slice(row * width, width);
                    TensorPrimitives.SoftMax(z, p);
                    if (!realRows.IsEmpty && !realRows[row]) { dLogits.Slice(row * width, width).Clear(); continue; }
                    var y = labels[row];
                    var max = double.CreateChecked(TensorPrimitives.Max(z));
                    var sum = 0.0;
                    foreach (var v in z) sum += Math.Exp(double.CreateChecked(v) - max);
                    total += max + Math.Log(sum) - double.CreateChecked(z[y]);
                    var d = dLogits.Slice(row * width, width);
                    p.CopyTo(d);
                    d[y] -= T.One;
                    TensorPrimitives.Multiply(d, scale, d);
                }
                break;
            default:
                // loss = (a − y)² with a = act(z);  dz = 2(a − y) ⊙ act'(z)
                logits.CopyTo(outputs);
                DenseLayer<T>.Activate(outputs[..logits.Length], width, outputActivation);
                for (var i = 0; i < logits.Length; i++)
                {
                    if (!realRows.IsEmpty && !realRows[i / width]) { dLogits[i] = T.Zero; continue; }
                    var target = values.IsEmpty ? (labels[i / width] == i % width ? T.One : T.Zero) : T.CreateChecked(values[i]);
                    var difference = outputs[i] - target;
                    total += double.CreateChecked(difference * difference);
                    dLogits[i] = T.CreateChecked(2) * difference * scale;
                }
                ChainActivation(outputs[..logits.Length], dLogits[..logits.Length], width, outputActivation);
                break;
        }
        return total;
    }

    /// <summary>d ← d ⊙ act'(z), written in terms of a = act(z); softmax uses its Jacobian per row.</summary>
    private static void ChainActivation<T>(ReadOnlySpan<T> a, Span<T> d, int width, Activation activation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var row = 0; row < a.Length; row += width)
        {
            var dot = activation == Activation.Softmax ? TensorPrimitives.Dot(a.Slice(row, width), d.Slice(row, width)) : T.Zero;
            for (var i = row; i < row + width; i++)
                d[i] = activation switch
                {
                    Activation.Tanh => d[i] * (T.One - a[i] * a[i]),
                    Activation.Sigmoid => d[i] * a[i] * (T.One - a[i]),
                    Activation.Relu => a[i] > T.Zero ? d[i] : T.Zero,
                    Activation.Softmax => a[i] * (d[i] - dot),
                    _ => d[i],
                };
        }
    }
}
