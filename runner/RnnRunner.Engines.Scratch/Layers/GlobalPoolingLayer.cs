using System.Numerics;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Specs;

namespace RnnRunner.Engines.Scratch.Layers;

/// <summary>
/// global_max_pooling and global_average_pooling: (steps, batch, F) → (batch, F), over each row's real steps
/// (every step without a mask). A row with no real step gives zeros and passes no gradient back.
/// </summary>
[BuildsLayer(typeof(GlobalMaxPoolingLayerSpec))]
[BuildsLayer(typeof(GlobalAveragePoolingLayerSpec))]
internal sealed class GlobalPoolingLayer<T>(bool max) : SequenceLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public GlobalPoolingLayer(PlannedLayer layer) : this(layer.Spec is GlobalMaxPoolingLayerSpec) { }

    /// <summary>Max pooling (else the mean).</summary>
    public bool IsMax => max;

    public override IReadOnlyList<Parameter<T>> Parameters => [];

    public override LayerWorkspace<T> CreateWorkspace() => new Workspace(this);

    private sealed class Workspace(GlobalPoolingLayer<T> layer) : LayerWorkspace<T>(layer)
    {
        private T[]? _output, _inputGradient;
        private int[] _winners = []; // max: the step that won each (row, feature), −1 for none
        private Activations<T> _input;

        private static bool IsReal(Activations<T> x, int t, int b) => x.Mask is not { } mask || mask.Real[t * x.Batch + b];

        private static int RealSteps(Activations<T> x, int b) => x.Mask?.Lengths[b] ?? x.Steps;

        public override Activations<T> Forward(Activations<T> input, PassContext context)
        {
            _input = input;
            int batch = input.Batch, f = input.Features;
            var output = Ensure(ref _output, batch * f).AsSpan(0, batch * f);
            output.Clear();
            if (layer.IsMax && _winners.Length < batch * f) _winners = new int[batch * f];
            for (var b = 0; b < batch; b++)
            {
                var row = output.Slice(b * f, f);
                if (layer.IsMax) Max(input, b, row, _winners.AsSpan(b * f, f));
                else Mean(input, b, row);
            }
            return new Activations<T>(_output!, 0, batch, f);
        }

        private static void Max(Activations<T> x, int b, Span<T> row, Span<int> winners)
        {
            winners.Fill(-1);
            for (var t = 0; t < x.Steps; t++)
            {
                if (!IsReal(x, t, b)) continue;
                var values = x.Data.AsSpan((t * x.Batch + b) * x.Features, x.Features);
                for (var j = 0; j < values.Length; j++)
                    if (winners[j] < 0 || values[j] > row[j]) (row[j], winners[j]) = (values[j], t);
            }
        }

        private static void Mean(Activations<T> x, int b, Span<T> row)
        {
            var count = RealSteps(x, b);
            if (count == 0) return;
            for (var t = 0; t < x.Steps; t++)
                if (IsReal(x, t, b))
                    System.Numerics.Tensors.TensorPrimitives.Add(row, x.Data.AsSpan((t * x.Batch + b) * x.Features, x.Features), row);
            System.Numerics.Tensors.TensorPrimitives.Divide(row, T.CreateChecked(count), row);
        }

        public override Activations<T> Backward(Activations<T> outputGradient)
        {
            var x = _input;
            int batch = x.Batch, f = x.Features;
            var dx = Ensure(ref _inputGradient, x.Length).AsSpan(0, x.Length);
            dx.Clear();
            var dy = outputGradient.Span;
            for (var b = 0; b < batch; b++)
            {
                if (layer.IsMax)
                {
                    for (var j = 0; j < f; j++)
                        if (_winners[b * f + j] is var t and >= 0) dx[(t * batch + b) * f + j] += dy[b * f + j];
                    continue;
                }
                var count = RealSteps(x, b);
                if (count == 0) continue;
                var share = T.One / T.CreateChecked(count);
                for (var t = 0; t < x.Steps; t++)
                    if (IsReal(x, t, b))
                        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(dy.Slice(b * f, f), share,
                            dx.Slice((t * batch + b) * f, f), dx.Slice((t * batch + b) * f, f));
            }
            return x.With(_inputGradient!, f);
        }
    }
}
