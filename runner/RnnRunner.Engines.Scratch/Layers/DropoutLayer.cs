using System.Numerics;
using System.Numerics.Tensors;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Maths;

namespace RnnRunner.Engines.Scratch.Layers;

/// <summary>
/// Inverted dropout, elementwise as Keras' Dropout: in training each value is zeroed with probability
/// <c>rate</c> and the survivors scaled by 1/(1 − rate); at inference it is the identity.
/// </summary>
[BuildsLayer(typeof(DropoutLayerSpec))]
internal sealed class DropoutLayer<T>(double rate) : SequenceLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public DropoutLayer(PlannedLayer layer) : this(((DropoutLayerSpec)layer.Spec).Rate) { }

    public double Rate => rate;

    public override IReadOnlyList<Parameter<T>> Parameters => [];

    public override LayerWorkspace<T> CreateWorkspace() => new Workspace(this);

    /// <summary>Fills <paramref name="mask"/> for one example: 0 or 1/keep, one value per element.</summary>
    internal static void DrawMask(Span<T> mask, double rate, ref RandomStream random)
    {
        var scale = T.CreateChecked(1.0 / (1.0 - rate));
        for (var i = 0; i < mask.Length; i++) mask[i] = random.NextDouble() < rate ? T.Zero : scale;
    }

    private sealed class Workspace(DropoutLayer<T> layer) : LayerWorkspace<T>(layer)
    {
        private T[]? _mask, _exampleMask, _output, _inputGradient;
        private bool _masked;

        public override Activations<T> Forward(Activations<T> input, PassContext context)
        {
            _masked = context.Training && layer.Rate > 0;
            if (!_masked) return input;
            var mask = Ensure(ref _mask, input.Length);
            var output = Ensure(ref _output, input.Length);
            // One stream per example (see PassContext); its values run over the example's steps and features.
            var perExample = Ensure(ref _exampleMask, Math.Max(1, input.Steps) * input.Features);
            for (var b = 0; b < input.Batch; b++)
            {
                var random = context.ExampleStream(b);
                var example = perExample.AsSpan(0, Math.Max(1, input.Steps) * input.Features);
                DrawMask(example, layer.Rate, ref random);
                for (var t = 0; t < Math.Max(1, input.Steps); t++)
                    example.Slice(t * input.Features, input.Features)
                        .CopyTo(mask.AsSpan((t * input.Batch + b) * input.Features, input.Features));
            }
            TensorPrimitives.Multiply<T>(input.Span, mask.AsSpan(0, input.Length), output);
            return input.With(output, input.Features);
        }

        public override Activations<T> Backward(Activations<T> outputGradient)
        {
            if (!_masked) return outputGradient;
            var gradient = Ensure(ref _inputGradient, outputGradient.Length);
            TensorPrimitives.Multiply<T>(outputGradient.Span, _mask.AsSpan(0, outputGradient.Length), gradient);
            return outputGradient.With(gradient, outputGradient.Features);
        }
    }
}
