using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Engines.Layers;

/// <summary>simple_rnn, lstm and gru: one pass over time with <see cref="RecurrentLayerSpec.Gates"/> gates per unit.</summary>
public sealed class RecurrentLayerType : LayerType<RecurrentLayerSpec>
{
    public override bool NeedsSequence => true;

    /// <summary>Every step (the mask travels on) or the last real step's output (time and mask are gone).</summary>
    protected override LayerShape Output(RecurrentLayerSpec spec, LayerShape input) => Output(spec, input, spec.Units);

    internal static LayerShape Output(RecurrentLayerSpec spec, LayerShape input, int features) =>
        spec.ReturnSequences ? input with { Features = features } : input.WithoutTime(features);

    /// <summary>Per direction: gates × (input kernel + recurrent kernel) + bias(es).</summary>
    protected override (long Torch, long Keras) Parameters(RecurrentLayerSpec spec, int inputFeatures)
    {
        long kernels = (long)spec.Gates * spec.Units * (inputFeatures + spec.Units);
        long torch = kernels + 2L * spec.Gates * spec.Units;
        // Keras: one bias per gate, except GRU whose default reset_after=True keeps an input and a recurrent bias.
        long keras = kernels + (spec is GruLayerSpec ? 2L : 1L) * spec.Gates * spec.Units;
        return (torch, keras);
    }

    protected override IEnumerable<NamedTensor> InitialWeights(RecurrentLayerSpec spec, PlannedLayer layer, Random random) =>
        Weights(layer.Path, spec, layer.Input.Features, random);

    /// <summary>Every step keeps its gates and, for the LSTM, its cell state and tanh(c); for the GRU, the recurrent candidate.</summary>
    protected override double SavedValuesPerExample(RecurrentLayerSpec spec, LayerShape input) =>
        (double)(input.Steps ?? 1) * SavedPerUnitAndStep(spec) * spec.Units;

    protected override string Describe(RecurrentLayerSpec spec) => spec switch
    {
        LstmLayerSpec => "LSTM",
        GruLayerSpec => "GRU",
        _ => "SimpleRNN",
    };

    internal static int SavedPerUnitAndStep(RecurrentLayerSpec spec) => spec.Gates + spec switch { LstmLayerSpec => 2, GruLayerSpec => 1, _ => 0 };

    /// <summary>
    /// Keras' kernel (input → gates): glorot uniform over the whole (gates·units, input) matrix; recurrent kernel:
    /// orthogonal over (gates·units, units); biases zero, except the LSTM forget gate's, which starts at 1
    /// (unit_forget_bias). libtorch's second bias vector stays zero, so the sum matches Keras' single bias.
    /// </summary>
    internal static IEnumerable<NamedTensor> Weights(string prefix, RecurrentLayerSpec spec, int inputs, Random random)
    {
        int units = spec.Units, rows = spec.Gates * units;
        yield return Initialisers.Tensor($"{prefix}.weight_ih", [rows, inputs], v => Initialisers.GlorotUniform(v, rows, inputs, random));
        yield return Initialisers.Tensor($"{prefix}.weight_hh", [rows, units], v => Initialisers.Orthogonal(v, rows, units, random));
        yield return Initialisers.Tensor($"{prefix}.bias_ih", [rows], v =>
        {
            if (spec is LstmLayerSpec) v.AsSpan(units, units).Fill(1f); // forget gate, the second block
        });
        yield return Initialisers.Tensor($"{prefix}.bias_hh", [rows], _ => { });
    }
}
