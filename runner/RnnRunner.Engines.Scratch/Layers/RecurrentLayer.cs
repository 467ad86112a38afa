using System.Numerics;
using System.Numerics.Tensors;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Cells;
using RnnRunner.Engines.Scratch.Maths;

namespace RnnRunner.Engines.Scratch.Layers;

/// <summary>
/// simple_rnn, lstm or gru, optionally bidirectional: (steps, batch, F) → (steps, batch, H') with
/// return_sequences, else (batch, H'); H' = 2·units for merge_mode concat, else units. The backward direction
/// reads the sequence from its end; its outputs are aligned with the input's time order (as libtorch and Keras
/// do), and its "last" output is its state after reading the first step.
/// Under a padding mask each direction runs on the real steps only, packed to the front of "compact" time (the
/// backward direction on each row's real steps reversed, so it starts at the row's last real token whatever the
/// padding side); outputs go back to the input's steps as Keras defines them: a masked step repeats the last
/// real output (zeros before the first), or is zero in a bidirectional layer; the last output is the state
/// after the row's last real step (zeros for a row with none).
/// </summary>
[BuildsLayer(typeof(RecurrentLayerSpec))]
[BuildsLayer(typeof(BidirectionalLayerSpec))]
internal sealed class RecurrentLayer<T> : SequenceLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RecurrentLayerSpec _spec;
    private readonly MergeMode? _merge;
    private readonly int _inputs;

    public RecurrentLayer(PlannedLayer layer) : this(layer.Path,
        layer.Spec as RecurrentLayerSpec ?? ((BidirectionalLayerSpec)layer.Spec).Layer, layer.Input.Features, (layer.Spec as BidirectionalLayerSpec)?.MergeMode)
    { }

    public RecurrentLayer(string path, RecurrentLayerSpec spec, int inputs, MergeMode? bidirectionalMerge)
    {
        (_spec, _merge, _inputs) = (spec, bidirectionalMerge, inputs);
        Directions = (bidirectionalMerge is null ? [(path, false)] : new[] { ($"{path}.forward", false), ($"{path}.backward", true) })
            .Select(d =>
            {
                RecurrentCell<T> cell = spec switch
                {
                    LstmLayerSpec => new LstmCell<T>(),
                    GruLayerSpec => new GruCell<T>(),
                    SimpleRnnLayerSpec s => new SimpleRnnCell<T>(relu: s.Activation == Activation.Relu),
                    _ => throw new ArgumentOutOfRangeException(nameof(spec)),
                };
                return new Direction(cell, new RecurrentWeights<T>(d.Item1, cell.Gates, inputs, spec.Units), d.Item2);
            }).ToArray();
    }

    /// <summary>One pass over time: the cell, its weights, and whether it reads the sequence backwards.</summary>
    internal sealed record Direction(RecurrentCell<T> Cell, RecurrentWeights<T> Weights, bool Reverse);

    public IReadOnlyList<Direction> Directions { get; }
    public int Units => _spec.Units;

    public override IReadOnlyList<Parameter<T>> Parameters => Directions.SelectMany(d => d.Weights.Parameters).ToList();

    public override void ParametersChanged()
    {
        foreach (var d in Directions) d.Weights.Refresh();
    }

    public override LayerWorkspace<T> CreateWorkspace() => new Workspace(this);

    internal sealed class Workspace : LayerWorkspace<T>
    {
        private readonly RecurrentLayer<T> _layer;
        private T[]? _mask, _maskedInput, _output, _inputGradient, _dh, _dhCarry, _bias, _inputBiasSums, _recurrentBiasSums;
        private T[]? _compactInput, _compactGradient, _stepGradient, _directionInputGradient;
        private readonly T[]?[] _directionGradients = new T[]?[2], _directionOutputs = new T[]?[2], _reversedInputs = new T[]?[2];
        private Activations<T> _input;

        public Workspace(RecurrentLayer<T> layer) : base(layer)
        {
            _layer = layer;
            Memories = layer.Directions.Select(d => d.Cell.CreateMemory(layer.Units)).ToArray();
        }

        /// <summary>Per direction, what the last forward pass computed (read by <c>trace</c>).</summary>
        public IReadOnlyList<CellMemory<T>> Memories { get; }

        /// <summary>The last forward pass's input, after input dropout (read by <c>trace</c>).</summary>
        public Activations<T> Input => _input;

        /// <summary>The last forward pass's padding mask; when set, <see cref="Memories"/> are indexed by compact step.</summary>
        public SequenceMask? Mask => _input.Mask;

        private int H => _layer.Units;

        public override Activations<T> Forward(Activations<T> input, PassContext context)
        {
            if (!input.IsSequence) throw new InvalidOperationException("a recurrent layer needs a sequence input");
            _input = DropInputs(input, context);
            if (_input.Mask is { } mask) return ForwardMasked(mask);
            for (var d = 0; d < _layer.Directions.Count; d++)
                RunForward(_layer.Directions[d].Reverse, _layer.Directions[d], Memories[d], _input);
            var sequences = _layer._spec.ReturnSequences;
            // One direction's every step is its hidden-state array as it stands: no copy.
            if (sequences && _layer._merge is null) return new Activations<T>(Memories[0].Hidden, input.Steps, input.Batch, H);
            var rows = sequences ? input.Steps * input.Batch : input.Batch;
            return Merge(input, d => sequences ? Memories[d].Hidden.AsSpan(0, rows * H) : LastHidden(d));
        }

        /// <summary>Each direction on the real steps only (see the class summary), outputs mapped back to the input's steps.</summary>
        private Activations<T> ForwardMasked(SequenceMask mask)
        {
            var x = _input;
            var compact = x with { Data = Ensure(ref _compactInput, mask.CompactSteps * x.Batch * x.Features), Steps = mask.CompactSteps };
            TimeGather.Gather<T>(x.Span, mask.Compact, compact.Span, x.Batch, x.Features);
            var sequences = _layer._spec.ReturnSequences;
            var rows = sequences ? x.Steps * x.Batch : x.Batch;
            for (var d = 0; d < _layer.Directions.Count; d++)
            {
                var direction = _layer.Directions[d];
                RunForward(false, direction, Memories[d], DirectionInput(compact, mask, d));
                var output = Ensure(ref _directionOutputs[d], rows * H).AsSpan(0, rows * H);
                var hidden = Memories[d].Hidden.AsSpan(0, mask.CompactSteps * x.Batch * H);
                if (!sequences) LastReal(hidden, mask, output);
                else if (direction.Reverse)
                {
                    // Back to compact order first (Reverse is its own inverse), then to the input's steps.
                    var aligned = Ensure(ref _stepGradient, hidden.Length).AsSpan(0, hidden.Length);
                    TimeGather.Gather<T>(hidden, mask.Reverse, aligned, x.Batch, H);
                    TimeGather.Gather<T>(aligned, OutputMap(mask), output, x.Batch, H);
                }
                else TimeGather.Gather<T>(hidden, OutputMap(mask), output, x.Batch, H);
            }
            return Merge(x, d => _directionOutputs[d].AsSpan(0, rows * H));
        }

        /// <summary>What direction d reads in compact time: the packed steps, or each row's packed steps reversed.</summary>
        private Activations<T> DirectionInput(Activations<T> compact, SequenceMask mask, int d)
        {
            if (!_layer.Directions[d].Reverse) return compact;
            var reversed = Ensure(ref _reversedInputs[d], compact.Length);
            TimeGather.Gather<T>(compact.Span, mask.Reverse, reversed, compact.Batch, compact.Features);
            return compact with { Data = reversed };
        }

        /// <summary>Masked steps repeat the last real output (Keras' RNN), or are zero in a bidirectional layer (Keras' wrapper).</summary>
        private int[] OutputMap(SequenceMask mask) => _layer._merge is null ? mask.Carry : mask.Zero;

        /// <summary>Each row's state after its last real step (compact step length − 1), zeros for a row with none.</summary>
        private void LastReal(ReadOnlySpan<T> hidden, SequenceMask mask, Span<T> output)
        {
            for (var b = 0; b < mask.Batch; b++)
            {
                var row = output.Slice(b * H, H);
                if (mask.Lengths[b] == 0) row.Clear();
                else hidden.Slice(((mask.Lengths[b] - 1) * mask.Batch + b) * H, H).CopyTo(row);
            }
        }

        /// <summary>Keras' recurrent-layer dropout: one mask per sequence, the same at every time step.</summary>
        private Activations<T> DropInputs(Activations<T> input, PassContext context)
        {
            var rate = _layer._spec.Dropout;
            _mask = context.Training && rate > 0 ? Ensure(ref _mask, input.Batch * input.Features) : null;
            if (_mask is null) return input;
            var masked = Ensure(ref _maskedInput, input.Length);
            for (var b = 0; b < input.Batch; b++)
            {
                var random = context.ExampleStream(b);
                DropoutLayer<T>.DrawMask(_mask.AsSpan(b * input.Features, input.Features), rate, ref random);
            }
            for (var t = 0; t < input.Steps; t++)
                TensorPrimitives.Multiply<T>(input.Step(t), _mask.AsSpan(0, input.Batch * input.Features), masked.AsSpan(t * input.Batch * input.Features));
            return input.With(masked, input.Features);
        }

        private void RunForward(bool reverse, Direction direction, CellMemory<T> m, Activations<T> x)
        {
            var (cell, w) = (direction.Cell, direction.Weights);
            m.Resize(x.Steps, x.Batch);
            int steps = x.Steps, batch = x.Batch, h = w.Units, f = w.Inputs;
            var biases = Ensure(ref _bias, cell.Gates * h).AsSpan(0, cell.Gates * h);
            for (var k = 0; k < cell.Gates; k++)
            {
                var bias = biases.Slice(k * h, h);
                w.InputBias(k).CopyTo(bias);
                if (cell.FoldsRecurrentBias(k)) TensorPrimitives.Add(bias, w.RecurrentBias(k), bias);
            }
            for (var done = 0; done < steps; done += StepsPerChunk)
            {
                // The next chunk's input projections, x_t·W_kᵀ + b_k, in one product per gate; then its steps,
                // which find them still in cache.
                var count = Math.Min(StepsPerChunk, steps - done);
                var t0 = reverse ? steps - done - count : done;
                for (var k = 0; k < cell.Gates; k++)
                    Gemm.MultiplyWithBias(x.Span.Slice(t0 * batch * f, count * batch * f), w.WTransposed(k), biases.Slice(k * h, h),
                        m.GateValues[k].AsSpan(t0 * batch * h, count * batch * h), count * batch, f, h);
                for (var s = done; s < done + count; s++)
                {
                    var (t, previous) = Order(reverse, s, steps);
                    cell.Forward(m, w, t, previous);
                }
            }
        }

        /// <summary>
        /// Time steps per chunk: projections and weight gradients run chunk by chunk as one product each, on
        /// gate buffers of 16 steps × batch × units that are still in L2 — instead of streaming every gate's
        /// whole (steps, batch, units) array through memory once more.
        /// </summary>
        private const int StepsPerChunk = 16;

        /// <summary>The s-th step a direction processes, and the step before it (−1 at the start).</summary>
        private static (int T, int Previous) Order(bool reverse, int s, int steps) =>
            reverse ? (steps - 1 - s, s == 0 ? -1 : steps - s) : (s, s - 1);

        private Span<T> LastHidden(int d) =>
            Memories[d].H(_layer.Directions[d].Reverse ? 0 : Memories[d].Steps - 1);

        /// <summary>A direction's output in the input's time order: (steps, batch, units), or (batch, units).</summary>
        private delegate ReadOnlySpan<T> DirectionOutput(int direction);

        /// <summary>The layer's output from its directions' outputs: one as it is, two merged by merge_mode.</summary>
        private Activations<T> Merge(Activations<T> input, DirectionOutput outputOf)
        {
            var sequences = _layer._spec.ReturnSequences;
            int steps = input.Steps, batch = input.Batch, rows = sequences ? steps * batch : batch;
            var shape = new Activations<T>([], sequences ? steps : 0, batch, H, sequences ? input.Mask : null);
            if (_layer._merge is not { } merge)
            {
                var only = Ensure(ref _output, rows * H);
                outputOf(0).CopyTo(only);
                return shape with { Data = only };
            }
            ReadOnlySpan<T> a = outputOf(0);
            ReadOnlySpan<T> b = outputOf(1);
            if (merge == MergeMode.Concat)
            {
                var output = Ensure(ref _output, rows * 2 * H);
                for (var row = 0; row < rows; row++)
                {
                    a.Slice(row * H, H).CopyTo(output.AsSpan(row * 2 * H, H));
                    b.Slice(row * H, H).CopyTo(output.AsSpan(row * 2 * H + H, H));
                }
                return shape with { Data = output, Features = 2 * H };
            }
            var merged = Ensure(ref _output, rows * H).AsSpan(0, rows * H);
            switch (merge)
            {
                case MergeMode.Sum: TensorPrimitives.Add(a, b, merged); break;
                case MergeMode.Mul: TensorPrimitives.Multiply(a, b, merged); break;
                default: TensorPrimitives.Add(a, b, merged); TensorPrimitives.Multiply<T>(merged, T.CreateChecked(0.5), merged); break;
            }
            return shape with { Data = _output! };
        }

        public override Activations<T> Backward(Activations<T> outputGradient)
        {
            var x = _input;
            var dx = Ensure(ref _inputGradient, x.Length).AsSpan(0, x.Length);
            dx.Clear();
            var rows = outputGradient.Rows;
            for (var d = 0; d < _layer.Directions.Count; d++)
            {
                var dOut = Split(outputGradient, d, rows, ref _directionGradients[d]);
                if (x.Mask is { } mask) BackwardMasked(mask, d, dOut, outputGradient.IsSequence, dx);
                else RunBackward(_layer.Directions[d].Reverse, _layer.Directions[d], Memories[d], x, dOut, outputGradient.IsSequence, Gradients.AsSpan(4 * d, 4), dx);
            }
            if (_mask is not null)
                for (var t = 0; t < x.Steps; t++)
                    TensorPrimitives.Multiply<T>(dx.Slice(t * x.Batch * x.Features, x.Batch * x.Features), _mask.AsSpan(0, x.Batch * x.Features),
                        dx.Slice(t * x.Batch * x.Features, x.Batch * x.Features));
            return x.With(_inputGradient!, x.Features);
        }

        /// <summary>
        /// Direction d's part of the backward pass under a mask: its output gradient taken back to the compact steps
        /// it ran on (the adjoints of the forward maps), backpropagated through time there, and the input gradient
        /// taken back to the input's steps. Padding steps get no gradient.
        /// </summary>
        private void BackwardMasked(SequenceMask mask, int d, ReadOnlySpan<T> dOut, bool sequences, Span<T> dx)
        {
            var (direction, x) = (_layer.Directions[d], _input);
            var compactLength = mask.CompactSteps * x.Batch;
            var dHidden = Ensure(ref _compactGradient, compactLength * H).AsSpan(0, compactLength * H);
            dHidden.Clear();
            if (!sequences)
            {
                for (var b = 0; b < x.Batch; b++)
                    if (mask.Lengths[b] > 0)
                        dOut.Slice(b * H, H).CopyTo(dHidden.Slice(((mask.Lengths[b] - 1) * x.Batch + b) * H, H));
            }
            else if (direction.Reverse)
            {
                var aligned = Ensure(ref _stepGradient, compactLength * H).AsSpan(0, compactLength * H);
                aligned.Clear();
                TimeGather.ScatterAdd(dOut, OutputMap(mask), aligned, x.Batch, H);
                TimeGather.ScatterAdd<T>(aligned, mask.Reverse, dHidden, x.Batch, H);
            }
            else TimeGather.ScatterAdd(dOut, OutputMap(mask), dHidden, x.Batch, H);

            var compact = x with { Data = _compactInput!, Steps = mask.CompactSteps };
            // What the direction read going forward, still in its buffer: the reversed copy is not gathered again.
            var read = direction.Reverse ? compact with { Data = _reversedInputs[d]! } : compact;
            var dRead = Ensure(ref _directionInputGradient, compact.Length).AsSpan(0, compact.Length);
            dRead.Clear();
            RunBackward(false, direction, Memories[d], read, dHidden, true, Gradients.AsSpan(4 * d, 4), dRead);
            var dCompact = dRead;
            if (direction.Reverse)
            {
                dCompact = Ensure(ref _compactGradient, compact.Length).AsSpan(0, compact.Length);
                dCompact.Clear();
                TimeGather.ScatterAdd<T>(dRead, mask.Reverse, dCompact, x.Batch, x.Features);
            }
            TimeGather.ScatterAdd<T>(dCompact, mask.Compact, dx, x.Batch, x.Features);
        }

        /// <summary>dL/d(direction d's output) from dL/d(merged output).</summary>
        private ReadOnlySpan<T> Split(Activations<T> dOut, int d, int rows, ref T[]? buffer)
        {
            if (_layer._merge is not { } merge) return dOut.Span;
            var part = Ensure(ref buffer, rows * H).AsSpan(0, rows * H);
            switch (merge)
            {
                case MergeMode.Concat:
                    for (var row = 0; row < rows; row++) dOut.Span.Slice(row * 2 * H + d * H, H).CopyTo(part.Slice(row * H, H));
                    break;
                case MergeMode.Sum: dOut.Span.CopyTo(part); break;
                case MergeMode.Ave: TensorPrimitives.Multiply<T>(dOut.Span, T.CreateChecked(0.5), part); break;
                case MergeMode.Mul: // d(a⊙b)/da = b
                    var other = 1 - d;
                    ReadOnlySpan<T> otherOutput = _input.Mask is not null ? _directionOutputs[other].AsSpan(0, rows * H)
                        : dOut.IsSequence ? Memories[other].Hidden.AsSpan(0, rows * H) : LastHidden(other);
                    TensorPrimitives.Multiply(dOut.Span, otherOutput, part);
                    break;
            }
            return part;
        }

        private void RunBackward(bool reverse, Direction direction, CellMemory<T> m, Activations<T> x, ReadOnlySpan<T> dOut, bool sequences,
            Span<T[]> gradients, Span<T> dx)
        {
            var (cell, w) = (direction.Cell, direction.Weights);
            int steps = x.Steps, batch = x.Batch, slice = batch * H;
            var dh = Ensure(ref _dh, slice).AsSpan(0, slice);
            var dhCarry = Ensure(ref _dhCarry, slice).AsSpan(0, slice); // dL/dh_{t−1} collected at step t
            dhCarry.Clear();
            cell.BeginBackward(m);
            // Bias gradients are column sums of the gate gradients, taken step by step while each is in cache.
            var gates = cell.Gates;
            var inputSums = Ensure(ref _inputBiasSums, gates * H).AsSpan(0, gates * H);
            var recurrentSums = Ensure(ref _recurrentBiasSums, gates * H).AsSpan(0, gates * H);
            inputSums.Clear();
            recurrentSums.Clear();
            for (var end = steps; end > 0; end -= StepsPerChunk)
            {
                var begin = Math.Max(0, end - StepsPerChunk);
                for (var s = end - 1; s >= begin; s--)
                {
                    var (t, previous) = Order(reverse, s, steps);
                    // dh_t = dL/dh_t from the layer above (every step, or only the last) + from step t+1.
                    if (sequences) TensorPrimitives.Add(dhCarry, dOut.Slice(t * slice, slice), dh);
                    else if (s == steps - 1) TensorPrimitives.Add(dhCarry, dOut, dh);
                    else dhCarry.CopyTo(dh);
                    dhCarry.Clear();
                    cell.Backward(m, w, t, previous, dh, dhCarry);
                    for (var k = 0; k < gates; k++)
                    {
                        Gemm.AddColumnSums<T>(m.GateGradient(k, t), inputSums.Slice(k * H, H), batch, H);
                        if (m.RecurrentGradient(k) != m.GateGradients[k])
                            Gemm.AddColumnSums<T>(m.StepOf(m.RecurrentGradient(k), t), recurrentSums.Slice(k * H, H), batch, H);
                        // dh_{t−1} += dk̂·U_k (nothing flows into the zero initial state)
                        if (previous >= 0) Gemm.MultiplyAdd<T>(m.StepOf(m.RecurrentGradient(k), t), w.U(k), dhCarry, batch, H, H);
                    }
                }
                var count = end - begin;
                AddWeightGradients(reverse, direction, m, x, gradients, dx, reverse ? steps - end : begin, count);
            }

            var (dbIh, dbHh) = (gradients[2], gradients[3]);
            for (var k = 0; k < gates; k++)
            {
                TensorPrimitives.Add(dbIh.AsSpan(k * H, H), inputSums.Slice(k * H, H), dbIh.AsSpan(k * H, H));
                var recurrentBias = m.RecurrentGradient(k) == m.GateGradients[k] ? inputSums : recurrentSums;
                TensorPrimitives.Add(dbHh.AsSpan(k * H, H), recurrentBias.Slice(k * H, H), dbHh.AsSpan(k * H, H));
            }
        }

        /// <summary>
        /// For time steps [t0, t0 + count): dW_k += dk̂ᵀ·x, dU_k += dk̂ᵀ·h_{t−1} (h_{t+1} reading backwards; the step
        /// after the zero initial state has no term), and dx += dk̂·W_k — one product each over the chunk's rows.
        /// </summary>
        private void AddWeightGradients(bool reverse, Direction direction, CellMemory<T> m, Activations<T> x, Span<T[]> gradients, Span<T> dx, int t0, int count)
        {
            var w = direction.Weights;
            int steps = x.Steps, batch = x.Batch, slice = batch * H, f = w.Inputs, rows = count * batch;
            var (dW, dU) = (gradients[0], gradients[1]);
            var xRows = x.Span.Slice(t0 * batch * f, rows * f);
            // Steps whose previous state is a real one, and where that state lives.
            var (first, last) = reverse ? (t0, Math.Min(t0 + count, steps - 1)) : (Math.Max(t0, 1), t0 + count);
            var previousOffset = reverse ? slice : -slice;
            for (var k = 0; k < direction.Cell.Gates; k++)
            {
                var dGate = m.GateGradients[k].AsSpan(t0 * slice, rows * H);
                Gemm.TransposedMultiplyAdd<T>(dGate, xRows, dW.AsSpan(k * H * f, H * f), rows, H, f);
                Gemm.MultiplyAdd<T>(dGate, w.W(k), dx.Slice(t0 * batch * f, rows * f), rows, H, f);
                if (last > first)
                    Gemm.TransposedMultiplyAdd<T>(m.RecurrentGradient(k).AsSpan(first * slice, (last - first) * slice),
                        m.Hidden.AsSpan(first * slice + previousOffset, (last - first) * slice), dU.AsSpan(k * H * H, H * H),
                        (last - first) * batch, H, H);
            }
        }
    }
}
