using RnnRunner.Core.Engines;
using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Inspection;
using RnnRunner.Core.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch.Layers;

/// <summary>
/// simple_rnn, lstm or gru — optionally bidirectional — on libtorch's fused recurrent kernels.
/// (B, T, F) → (B, T, H') with return_sequences, else (B, H'); H' = 2·units for merge_mode concat, else units.
/// A bidirectional layer is two one-way modules, the second reading time reversed. Under a padding mask both read
/// only the real steps, packed to the front by a gather (the backward one each row's real steps reversed, so it
/// starts at the row's last real token on either padding side), and their outputs are gathered back as Keras
/// defines them — the same maps as the scratch engine (<see cref="SequenceMask"/>). Gathers beat
/// pack_padded_sequence on CPU here (docs/MASKED-RNN.md), and with length batches little padding is left anyway.
/// </summary>
[BuildsLayer(typeof(RecurrentLayerSpec))]
[BuildsLayer(typeof(BidirectionalLayerSpec))]
internal sealed class RecurrentLayer : TorchLayer
{
    public RecurrentLayer(PlannedLayer layer) : this(
        layer.Spec as RecurrentLayerSpec ?? ((BidirectionalLayerSpec)layer.Spec).Layer, layer.Input.Features, (layer.Spec as BidirectionalLayerSpec)?.MergeMode)
    { }

    private readonly nn.Module _forward;
    private readonly nn.Module? _backward;
    private readonly RecurrentLayerSpec _spec;
    private readonly MergeMode? _merge;

    public RecurrentLayer(RecurrentLayerSpec spec, long inputs, MergeMode? bidirectionalMerge) : base(nameof(RecurrentLayer))
    {
        _spec = spec;
        _merge = bidirectionalMerge;
        _forward = OneWay(spec, inputs);
        _backward = bidirectionalMerge is null ? null : OneWay(spec, inputs);
        RegisterComponents();
    }

    private static nn.Module OneWay(RecurrentLayerSpec spec, long inputs) => spec switch
    {
        LstmLayerSpec => nn.LSTM(inputs, spec.Units, batchFirst: true),
        GruLayerSpec => nn.GRU(inputs, spec.Units, batchFirst: true),
        SimpleRnnLayerSpec s => nn.RNN(inputs, spec.Units,
            nonLinearity: s.Activation == Activation.Relu ? nn.NonLinearities.ReLU : nn.NonLinearities.Tanh, batchFirst: true),
        _ => throw new ArgumentOutOfRangeException(nameof(spec)),
    };

    public override Tensor Forward(Tensor input, TorchMask? mask) // (B, T, F)
    {
        if (training && _spec.Dropout > 0)
        {
            // Keras' recurrent-layer dropout: one mask per sequence, the same at every time step: 0 or 1/keep,
            // drawn by libtorch's dropout on ones (no scalar arguments: see TorchMask).
            var drop = nn.functional.dropout(ones(input.shape[0], 1, input.shape[2]), _spec.Dropout, training: true); // (B, 1, F)
            input = input * drop;
        }
        var (forward, backward) = mask is null ? Unmasked(input) : Masked(input, mask);
        if (backward is null) return forward;
        return _merge switch
        {
            MergeMode.Sum => forward + backward,
            MergeMode.Mul => forward * backward,
            MergeMode.Ave => Half(forward + backward),
            _ => cat([forward, backward], -1),
        };
    }

    private static Tensor Half(Tensor sum)
    {
        using var half = 0.5.ToScalar(); // explicit and alive through the call (see TorchMask)
        return sum.mul(half);
    }

    /// <summary>Each direction's output: every step in input order, or its last state (the backward one's after reading step 0).</summary>
    private (Tensor Forward, Tensor? Backward) Unmasked(Tensor input)
    {
        var (sequence, last) = Run(_forward, input);
        var forward = _spec.ReturnSequences ? sequence : last;
        if (_backward is null) return (forward, null);
        var (reversed, reversedLast) = Run(_backward, input.flip(1));
        return (forward, _spec.ReturnSequences ? reversed.flip(1) : reversedLast);
    }

    /// <summary>Each direction on the packed real steps; outputs mapped back (repeat-last one way, zeros both ways, as Keras).</summary>
    private (Tensor Forward, Tensor? Backward) Masked(Tensor input, TorchMask mask)
    {
        var compact = mask.Compact.Gather(input);
        var outputMap = _backward is null ? mask.Carry : mask.Zero;
        var sequence = PackedSequences ? RunPacked(_forward, compact, mask) : Run(_forward, compact).Sequence;
        var forward = _spec.ReturnSequences ? outputMap.Gather(sequence) : mask.Last.Gather(sequence).squeeze(1);
        if (_backward is null) return (forward, null);
        var reversedInput = mask.Reverse.Gather(compact);
        var reversed = PackedSequences ? RunPacked(_backward, reversedInput, mask) : Run(_backward, reversedInput).Sequence;
        var backward = _spec.ReturnSequences
            ? outputMap.Gather(mask.Reverse.Gather(reversed))
            : mask.Last.Gather(reversed).squeeze(1);
        return (forward, backward);
    }

    /// <summary>
    /// The alternative to gathers that libtorch offers, kept for the measurement in <c>bench masking</c>
    /// (<c>RNNRUNNER_MASKED_RNN=packed</c>): pack each row's real steps with pack_padded_sequence, run, unpack.
    /// </summary>
    internal bool PackedSequences { get; set; }

    /// <summary>(B, S, F) packed at the front to <paramref name="mask"/>'s lengths → every step's output (B, S, H), zeros past a row's end.</summary>
    private static Tensor RunPacked(nn.Module module, Tensor compact, TorchMask mask)
    {
        // pack_padded_sequence refuses empty rows: give them one step, whose output the maps then ignore.
        using var lengths = tensor(mask.Mask.Lengths.Select(l => (long)Math.Max(1, l)).ToArray());
        var packed = nn.utils.rnn.pack_padded_sequence(compact, lengths, batch_first: true, enforce_sorted: false);
        var output = module switch
        {
            LSTM lstm => lstm.call(packed, null).Item1,
            GRU gru => gru.call(packed, null).Item1,
            RNN rnn => rnn.call(packed, null).Item1,
            _ => throw new InvalidOperationException(),
        };
        return nn.utils.rnn.pad_packed_sequence(output, batch_first: true, total_length: compact.shape[1]).Item1;
    }

    /// <summary>(B, S, F) → every step's output (B, S, H) and the last state (B, H).</summary>
    private static (Tensor Sequence, Tensor Last) Run(nn.Module module, Tensor input)
    {
        var (sequence, last) = module switch
        {
            LSTM lstm => Take2(lstm.call(input, null)),
            GRU gru => gru.call(input, null),
            RNN rnn => rnn.call(input, null),
            _ => throw new InvalidOperationException(),
        };
        return (sequence, last[0]);
    }

    private static (Tensor, Tensor) Take2((Tensor Output, Tensor H, Tensor C) r) => (r.Output, r.H);

    public override IEnumerable<(string, Parameter)> PortableParameters(string prefix)
    {
        foreach (var (module, direction) in new[] { (_forward, "forward"), (_backward, "backward") })
        {
            if (module is null) continue;
            var named = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            var at = _merge is null ? prefix : $"{prefix}.{direction}";
            yield return ($"{at}.weight_ih", named["weight_ih_l0"]);
            yield return ($"{at}.weight_hh", named["weight_hh_l0"]);
            yield return ($"{at}.bias_ih", named["bias_ih_l0"]);
            yield return ($"{at}.bias_hh", named["bias_hh_l0"]);
        }
    }

    /// <summary>
    /// Each direction's steps for one example (input (1, T, F)), the torch engine's own cell path: the cell equations
    /// stepped with libtorch ops on this layer's own parameters, in libtorch's gate order (LSTM i f g o, GRU r z n with
    /// the reset gate applied to the recurrent term and its bias, SimpleRNN's pre-activation a), the names the
    /// scratch engine's cells use. Under a mask each direction reads only the real steps and skips padding.
    /// </summary>
    public IEnumerable<(string? Direction, IReadOnlyList<TracedStep> Steps)> Trace(Tensor input, SequenceMask? mask)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = input[0]; // (T, F)
        var steps = (int)x.shape[0];
        var inputs = Floats(x);
        var width = (int)x.shape[1];
        foreach (var (module, reverse) in new[] { (_forward, false), (_backward, true) })
        {
            if (module is null) continue;
            var named = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            var (wh, bh) = (named["weight_hh_l0"], named["bias_hh_l0"]);
            var fromInputs = x.matmul(named["weight_ih_l0"].t()) + named["bias_ih_l0"]; // every step's input term at once
            var h = zeros(_spec.Units);
            var c = zeros(_spec.Units);
            var order = Enumerable.Range(0, steps).Select(s => reverse ? steps - 1 - s : s).Where(t => mask is null || mask.Real[t]).ToList();
            var recorded = new List<(List<(string Name, Tensor Values)> Gates, Tensor? Cell, Tensor Hidden)>();
            foreach (var t in order)
            {
                var step = Step(fromInputs[t], h, c, wh, bh);
                (h, c) = (step.Hidden, step.Cell ?? c);
                recorded.Add(step);
            }
            yield return (_merge is null ? null : reverse ? "backward" : "forward", Steps(steps, reverse, order, recorded, inputs, width));
        }
    }

    /// <summary>
    /// The recorded steps as <see cref="TracedStep"/>s in reading order, padding skipped under a mask — each quantity
    /// copied out of libtorch once, stacked over the steps, rather than once per step.
    /// </summary>
    private static List<TracedStep> Steps(int steps, bool reverse, List<int> order, List<(List<(string Name, Tensor Values)> Gates, Tensor? Cell, Tensor Hidden)> recorded,
        float[] inputs, int width)
    {
        if (recorded.Count == 0) return Enumerable.Range(0, steps).Select(s => TracedStep.SkippedAt(reverse ? steps - 1 - s : s)).ToList();
        float[] Stacked(Func<int, Tensor> pick) => Floats(stack(Enumerable.Range(0, recorded.Count).Select(pick).ToArray()));
        var names = recorded[0].Gates.Select(g => g.Name).ToList();
        var gates = names.Select((_, k) => Stacked(i => recorded[i].Gates[k].Values)).ToList();
        var cells = recorded[0].Cell is null ? null : Stacked(i => recorded[i].Cell!);
        var hidden = Stacked(i => recorded[i].Hidden);
        var units = hidden.Length / recorded.Count;
        var at = order.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        return Enumerable.Range(0, steps).Select(s => reverse ? steps - 1 - s : s).Select(t => at.TryGetValue(t, out var i)
            ? new TracedStep(t, inputs[(t * width)..((t + 1) * width)], names.Select((name, k) => (name, (IReadOnlyList<float>)gates[k][(i * units)..((i + 1) * units)])).ToList(),
                cells?[(i * units)..((i + 1) * units)], hidden[(i * units)..((i + 1) * units)])
            : TracedStep.SkippedAt(t)).ToList();
    }

    /// <summary>One step of the cell: its gates by name, the new cell state (LSTM only) and h.</summary>
    /// <param name="fromInput">W_ih·x_t + b_ih, computed for every step at once.</param>
    private (List<(string Name, Tensor Values)> Gates, Tensor? Cell, Tensor Hidden) Step(Tensor fromInput, Tensor h, Tensor c, Tensor wh, Tensor bh)
    {
        var fromState = wh.matmul(h) + bh;
        switch (_spec)
        {
            case LstmLayerSpec:
                {
                    var parts = (fromInput + fromState).chunk(4);
                    var (i, f, g, o) = (parts[0].sigmoid(), parts[1].sigmoid(), parts[2].tanh(), parts[3].sigmoid());
                    var cell = f * c + i * g;
                    return ([("i", i), ("f", f), ("g", g), ("o", o)], cell, o * cell.tanh());
                }
            case GruLayerSpec:
                {
                    var (xi, hh) = (fromInput.chunk(3), fromState.chunk(3));
                    var r = (xi[0] + hh[0]).sigmoid();
                    var z = (xi[1] + hh[1]).sigmoid();
                    var n = (xi[2] + r * hh[2]).tanh();
                    return ([("r", r), ("z", z), ("n", n)], null, (1 - z) * n + z * h);
                }
            default:
                {
                    var a = fromInput + fromState;
                    var relu = _spec is SimpleRnnLayerSpec { Activation: Activation.Relu };
                    return ([("a", a)], null, relu ? a.relu() : a.tanh());
                }
        }
    }

    private static float[] Floats(Tensor t) => t.detach().cpu().data<float>().ToArray();
}
