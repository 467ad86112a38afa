using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch.Layers;

/// <summary>
/// simple_rnn, lstm or gru — optionally bidirectional — on libtorch's fused recurrent kernels.
/// (B, T, F) → (B, T, H') with return_sequences, else (B, H'); H' = 2·units for merge_mode concat, else units.
/// </summary>
[BuildsLayer(typeof(RecurrentLayerSpec))]
[BuildsLayer(typeof(BidirectionalLayerSpec))]
internal sealed class RecurrentLayer : TorchLayer
{
    public RecurrentLayer(PlannedLayer layer) : this(
        layer.Spec as RecurrentLayerSpec ?? ((BidirectionalLayerSpec)layer.Spec).Layer, layer.Input.Features, (layer.Spec as BidirectionalLayerSpec)?.MergeMode) { }

    private readonly nn.Module _cell;
    private readonly RecurrentLayerSpec _spec;
    private readonly MergeMode? _merge;
    private readonly long _units;

    public RecurrentLayer(RecurrentLayerSpec spec, long inputs, MergeMode? bidirectionalMerge) : base(nameof(RecurrentLayer))
    {
        _spec = spec;
        _merge = bidirectionalMerge;
        _units = spec.Units;
        var bidirectional = bidirectionalMerge is not null;
        _cell = spec switch
        {
            LstmLayerSpec => nn.LSTM(inputs, spec.Units, batchFirst: true, bidirectional: bidirectional),
            GruLayerSpec => nn.GRU(inputs, spec.Units, batchFirst: true, bidirectional: bidirectional),
            SimpleRnnLayerSpec s => nn.RNN(inputs, spec.Units,
                nonLinearity: s.Activation == Activation.Relu ? nn.NonLinearities.ReLU : nn.NonLinearities.Tanh,
                batchFirst: true, bidirectional: bidirectional),
            _ => throw new ArgumentOutOfRangeException(nameof(spec)),
        };
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) // (B, T, F)
    {
        if (training && _spec.Dropout > 0)
        {
            // Keras' recurrent-layer dropout: one mask per sequence, the same at every time step.
            var keep = 1.0 - _spec.Dropout;
            var mask = bernoulli(full(input.shape[0], 1, input.shape[2], keep)).div_(keep); // (B, 1, F)
            input = input * mask;
        }

        var (sequence, lastHidden) = _cell switch
        {
            LSTM lstm => Take2(lstm.call(input, null)),
            GRU gru => gru.call(input, null),
            RNN rnn => rnn.call(input, null),
            _ => throw new InvalidOperationException(),
        };
        // sequence: (B, T, D·H); lastHidden: (D, B, H) with D = 2 when bidirectional.

        if (_merge is not { } merge)
            return _spec.ReturnSequences ? sequence : lastHidden[0];

        Tensor forwardOut, backwardOut;
        if (_spec.ReturnSequences)
        {
            forwardOut = sequence.narrow(2, 0, _units);
            backwardOut = sequence.narrow(2, _units, _units);
        }
        else
        {
            // Keras' last output of the backward layer is its state after reading the whole reversed sequence.
            forwardOut = lastHidden[0];
            backwardOut = lastHidden[1];
        }
        return merge switch
        {
            MergeMode.Sum => forwardOut + backwardOut,
            MergeMode.Mul => forwardOut * backwardOut,
            MergeMode.Ave => (forwardOut + backwardOut) / 2,
            _ => _spec.ReturnSequences ? sequence : cat([forwardOut, backwardOut], -1),
        };
    }

    private static (Tensor, Tensor) Take2((Tensor Output, Tensor H, Tensor C) r) => (r.Output, r.H);

    public override IEnumerable<(string, Parameter)> PortableParameters(string prefix)
    {
        var named = _cell.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (suffix, direction) in Directions())
        {
            var at = _merge is null ? prefix : $"{prefix}.{direction}";
            yield return ($"{at}.weight_ih", named[$"weight_ih_l0{suffix}"]);
            yield return ($"{at}.weight_hh", named[$"weight_hh_l0{suffix}"]);
            yield return ($"{at}.bias_ih", named[$"bias_ih_l0{suffix}"]);
            yield return ($"{at}.bias_hh", named[$"bias_hh_l0{suffix}"]);
        }
    }

    private IEnumerable<(string Suffix, string Direction)> Directions() =>
        _merge is null ? [("", "forward")] : [("", "forward"), ("_reverse", "backward")];
}
