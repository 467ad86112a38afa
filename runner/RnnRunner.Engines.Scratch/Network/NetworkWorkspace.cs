using System.Numerics;
using RnnRunner.Core.Data;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Layers;

namespace RnnRunner.Engines.Scratch.Network;

/// <summary>
/// One shard's pass through a <see cref="ScratchNetwork{T}"/>: forward from the batch's inputs, the loss and its
/// gradient at the logits, and backpropagation (through time) down to every parameter's gradient.
/// </summary>
internal sealed class NetworkWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ScratchNetwork<T> _network;
    private readonly EmbeddingLayer<T>.Workspace? _embedding;
    private T[] _inputs = [], _logits = [], _logitGradient = [], _outputs = [], _timeMajor = [];
    private bool[] _realRows = [];
    private int _first, _count; // the shard's examples within the batch
    private Activations<T> _output;

    public NetworkWorkspace(ScratchNetwork<T> network)
    {
        _network = network;
        _embedding = network.Embedding?.CreateWorkspace();
        Layers = network.Layers.Select(l => l.CreateWorkspace()).ToList();
        Gradients = (_embedding is null ? [] : _embedding.Gradients).Concat(Layers.SelectMany(l => l.Gradients)).ToList();
    }

    public IReadOnlyList<LayerWorkspace<T>> Layers { get; }

    /// <summary>One gradient per parameter, in <see cref="ScratchNetwork{T}.Parameters"/> order.</summary>
    public IReadOnlyList<T[]> Gradients { get; }

    /// <summary>The activated outputs of the last <see cref="ComputeLoss"/>, (examples, out) or (examples, steps, out), batch-major.</summary>
    public ReadOnlySpan<T> Outputs => _outputs.AsSpan(0, _count * _network.OutputsPerExample(_output.Steps));

    public void ClearGradients()
    {
        foreach (var g in Gradients) Array.Clear(g);
    }

    /// <summary>Runs examples [first, first + count) of <paramref name="batch"/> through every layer.</summary>
    public void Forward(Batch batch, int first, int count, bool training, ulong seed, ulong step)
    {
        (_first, _count) = (first, count);
        var signature = _network.Data;
        var steps = batch.Steps;
        Activations<T> x;
        if (_embedding is not null)
            x = _embedding.Forward(batch.TokenIds.Slice(first * steps, count * steps), count, steps);
        else
        {
            // (examples, steps, F) batch-major → (steps, examples, F) time-major.
            var width = signature.InputWidth;
            var features = batch.InputFeatures.Slice(first * steps * width, count * steps * width);
            if (_inputs.Length < features.Length) _inputs = new T[features.Length];
            for (var b = 0; b < count; b++)
                for (var t = 0; t < steps; t++)
                    for (var f = 0; f < width; f++)
                        _inputs[(t * count + b) * width + f] = T.CreateChecked(features[(b * steps + t) * width + f]);
            x = new Activations<T>(_inputs, steps, count, width);
        }
        for (var i = 0; i < Layers.Count; i++)
            x = Layers[i].Forward(x, new PassContext(training, seed, step, i, first));
        _output = x;
    }

    /// <summary>The summed loss of this shard, with d(batch mean loss)/d(logits) kept for <see cref="Backward"/>.</summary>
    public double ComputeLoss(Batch batch, double meanOver)
    {
        var width = _output.Features;
        var length = _output.Length;
        if (_logits.Length < length) (_logits, _logitGradient, _outputs) = (new T[length], new T[length], new T[length]);
        ToBatchMajor(_output, _logits);
        var signature = _network.Data;
        var labels = signature.IsClassification
            ? batch.TargetLabels.Slice(_first * signature.TargetsPerExample, _count * signature.TargetsPerExample)
            : [];
        var values = signature.IsClassification
            ? []
            : batch.TargetValues.Slice(_first * signature.TargetsPerExample, _count * signature.TargetsPerExample);
        return Losses.Compute<T>(_network.Loss, _network.OutputActivation, _logits.AsSpan(0, length), width,
            labels, values, _outputs, _logitGradient, meanOver, RealRows(_output));
    }

    /// <summary>Per output row (batch-major), whether it is a real step; empty when every row counts.</summary>
    private ReadOnlySpan<bool> RealRows(Activations<T> output)
    {
        if (output.Mask is not { } mask || !output.IsSequence) return [];
        if (_realRows.Length < output.Rows) _realRows = new bool[output.Rows];
        for (var b = 0; b < output.Batch; b++)
            for (var t = 0; t < output.Steps; t++)
                _realRows[b * output.Steps + t] = mask.Real[t * output.Batch + b];
        return _realRows.AsSpan(0, output.Rows);
    }

    /// <summary>
    /// Replaces the gradient <see cref="ComputeLoss"/> left at the logits by d(Σ over rows of output
    /// <paramref name="output"/>)/d(logits): the output activation's own derivative, so <see cref="Backward"/> then gives
    /// the output's gradient rather than the loss's.
    /// </summary>
    public void SeedOutputGradient(int output)
    {
        var width = _output.Features;
        for (var row = 0; row < _output.Length / width; row++)
        {
            var y = _outputs.AsSpan(row * width, width);
            var d = _logitGradient.AsSpan(row * width, width);
            d.Clear();
            var k = y[output];
            switch (_network.OutputActivation)
            {
                case Activation.Softmax: // ∂p_k/∂z_j = p_k(δ_kj − p_j)
                    for (var j = 0; j < width; j++) d[j] = k * ((j == output ? T.One : T.Zero) - y[j]);
                    break;
                case Activation.Sigmoid: d[output] = k * (T.One - k); break;
                case Activation.Tanh: d[output] = T.One - k * k; break;
                case Activation.Relu: d[output] = k > T.Zero ? T.One : T.Zero; break;
                default: d[output] = T.One; break;
            }
        }
    }

    /// <summary>Backpropagates the gradient <see cref="ComputeLoss"/> left at the logits, adding to <see cref="Gradients"/>.</summary>
    public void Backward()
    {
        var dx = _output with { Data = _output.IsSequence ? ToTimeMajor(_logitGradient, _output) : _logitGradient };
        for (var i = Layers.Count - 1; i >= 0; i--) dx = Layers[i].Backward(dx);
        _embedding?.Backward(dx);
    }

    private void ToBatchMajor(Activations<T> a, T[] target)
    {
        if (!a.IsSequence)
        {
            a.Span.CopyTo(target);
            return;
        }
        for (var t = 0; t < a.Steps; t++)
            for (var b = 0; b < a.Batch; b++)
                a.Data.AsSpan((t * a.Batch + b) * a.Features, a.Features).CopyTo(target.AsSpan((b * a.Steps + t) * a.Features));
    }

    private T[] ToTimeMajor(T[] batchMajor, Activations<T> shape)
    {
        if (_timeMajor.Length < shape.Length) _timeMajor = new T[shape.Length];
        for (var t = 0; t < shape.Steps; t++)
            for (var b = 0; b < shape.Batch; b++)
                batchMajor.AsSpan((b * shape.Steps + t) * shape.Features, shape.Features)
                    .CopyTo(_timeMajor.AsSpan((t * shape.Batch + b) * shape.Features));
        return _timeMajor;
    }
}
