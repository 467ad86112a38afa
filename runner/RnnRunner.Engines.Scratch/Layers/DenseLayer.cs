using System.Numerics;
using System.Numerics.Tensors;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Maths;

namespace RnnRunner.Engines.Scratch.Layers;

/// <summary>
/// y = act(x·Wᵀ + b) on the last dimension: (batch, F) → (batch, units), or per time step on (steps, batch, F).
/// W is (units, F) as in libtorch. The final layer's sigmoid/softmax is left to the loss
/// (<see cref="ApplyActivation"/> false), which fuses it into a numerically stable gradient.
/// </summary>
[BuildsLayer(typeof(DenseLayerSpec))]
internal sealed class DenseLayer<T>(string path, int inputs, int units, Activation activation) : SequenceLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public DenseLayer(PlannedLayer layer)
        : this(layer.Path, layer.Input.Features, ((DenseLayerSpec)layer.Spec).Units, ((DenseLayerSpec)layer.Spec).Activation) { }

    public Parameter<T> Weight { get; } = new($"{path}.weight", units, inputs);
    public Parameter<T> Bias { get; } = new($"{path}.bias", units);
    private readonly T[] _weightTransposed = new T[inputs * units]; // (F, units), for the forward product

    public int Inputs => inputs;
    public int Units => units;
    public Activation Activation => activation;
    public bool ApplyActivation { get; set; } = true;

    public override IReadOnlyList<Parameter<T>> Parameters => [Weight, Bias];

    public override void ParametersChanged() => Gemm.Transpose<T>(Weight.Values, _weightTransposed, units, inputs);

    public override LayerWorkspace<T> CreateWorkspace() => new Workspace(this);

    /// <summary>Applies <paramref name="activation"/> to each row of a (rows, width) matrix, in place.</summary>
    public static void Activate(Span<T> z, int width, Activation activation)
    {
        switch (activation)
        {
            case Activation.Tanh: TensorPrimitives.Tanh<T>(z, z); break;
            case Activation.Sigmoid: TensorPrimitives.Sigmoid<T>(z, z); break;
            case Activation.Relu: TensorPrimitives.Max<T>(z, T.Zero, z); break;
            case Activation.Softmax:
                for (var row = 0; row < z.Length; row += width) TensorPrimitives.SoftMax<T>(z.Slice(row, width), z.Slice(row, width));
                break;
        }
    }

    private sealed class Workspace(DenseLayer<T> layer) : LayerWorkspace<T>(layer)
    {
        private int U => layer.Units;
        private int F => layer.Inputs;
        private T[]? _output, _preActivationGradient, _inputGradient;
        private Activations<T> _input;

        public override Activations<T> Forward(Activations<T> input, PassContext context)
        {
            _input = input;
            var output = Ensure(ref _output, input.Rows * U).AsSpan(0, input.Rows * U);
            // z = x·Wᵀ + b
            Gemm.MultiplyWithBias<T>(input.Span, layer._weightTransposed, layer.Bias.Values, output, input.Rows, F, U);
            if (layer.ApplyActivation) Activate(output, U, layer.Activation);
            return input.With(_output!, U);
        }

        public override Activations<T> Backward(Activations<T> outputGradient)
        {
            var rows = _input.Rows;
            var dz = Ensure(ref _preActivationGradient, rows * U).AsSpan(0, rows * U);
            var y = _output.AsSpan(0, rows * U);
            var dy = outputGradient.Span;
            // dz = dy ⊙ act'(z), with act' written in terms of the output y.
            switch (layer.ApplyActivation ? layer.Activation : Activation.Linear)
            {
                case Activation.Tanh: // 1 − y²
                    TensorPrimitives.Multiply<T>(y, y, dz);
                    TensorPrimitives.Subtract<T>(T.One, dz, dz);
                    TensorPrimitives.Multiply<T>(dz, dy, dz);
                    break;
                case Activation.Sigmoid: // y(1 − y)
                    TensorPrimitives.Subtract<T>(T.One, y, dz);
                    TensorPrimitives.Multiply<T>(dz, y, dz);
                    TensorPrimitives.Multiply<T>(dz, dy, dz);
                    break;
                case Activation.Relu: // 1 where y > 0
                    for (var i = 0; i < dz.Length; i++) dz[i] = y[i] > T.Zero ? dy[i] : T.Zero;
                    break;
                case Activation.Softmax: // y ⊙ (dy − Σ dy⊙y), per row
                    for (var row = 0; row < dz.Length; row += U)
                    {
                        var yr = y.Slice(row, U);
                        var dot = TensorPrimitives.Dot<T>(dy.Slice(row, U), yr);
                        TensorPrimitives.Subtract<T>(dy.Slice(row, U), dot, dz.Slice(row, U));
                        TensorPrimitives.Multiply<T>(dz.Slice(row, U), yr, dz.Slice(row, U));
                    }
                    break;
                default:
                    dy.CopyTo(dz);
                    break;
            }
            // dW += dzᵀ·x;  db += Σ_rows dz;  dx = dz·W
            Gemm.TransposedMultiplyAdd<T>(dz, _input.Span, Gradients[0], rows, U, F);
            Gemm.AddColumnSums<T>(dz, Gradients[1], rows, U);
            var dx = Ensure(ref _inputGradient, rows * F).AsSpan(0, rows * F);
            dx.Clear();
            Gemm.MultiplyAdd<T>(dz, layer.Weight.Values, dx, rows, U, F);
            return _input.With(_inputGradient!, F);
        }
    }
}
