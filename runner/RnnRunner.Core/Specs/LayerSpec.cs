using RnnRunner.Core.Specs.Schema;

namespace RnnRunner.Core.Specs;

public enum Activation { Linear, Tanh, Relu, Sigmoid, Softmax }

/// <summary>How a bidirectional wrapper combines its forward and backward outputs (Keras' merge_mode).</summary>
public enum MergeMode { Concat, Sum, Mul, Ave }

/// <summary>One layer of the model; <c>type:</c> picks the concrete record, which names itself with <see cref="SpecNameAttribute"/>.</summary>
[SpecUnion("type")]
public abstract record LayerSpec;

[Doc("Maps token ids to dense vectors (Keras Embedding).")]
[SpecName("embedding", Keras = "Embedding")]
public sealed record EmbeddingLayerSpec : LayerSpec
{
    [Doc("Number of token ids the table holds; must cover the dataset's vocabulary. auto: exactly the data's vocabulary "
         + "(for a text dataset, its num_words), written out as a number in the run's spec.resolved.yaml.")]
    [SpecRange(1, 10_000_000)]
    [SpecAuto("the data's vocabulary size")]
    public required int? InputDim { get; init; }

    /// <summary>The table's rows: <see cref="InputDim"/> once validation has settled an <c>auto</c> from the data.</summary>
    public int Rows => InputDim ?? throw new InvalidOperationException("input_dim: auto is settled from the data when the spec is validated");

    [Doc("Size of each embedding vector.")]
    [SpecRange(1, 65_536)]
    public required int OutputDim { get; init; }

    [Doc("Treat id 0 as padding (Keras' mask_zero): later layers skip those steps — recurrent layers carry their "
         + "state over them, pooling and per-step losses leave them out.")]
    public bool MaskZero { get; init; }
}

/// <summary>Settings every recurrent layer shares.</summary>
public abstract record RecurrentLayerSpec : LayerSpec
{
    [Doc("Size of the hidden state.")]
    [SpecRange(1, 65_536, Hint = typeof(RecurrentWeightsMemory))]
    public required int Units { get; init; }

    [Doc("Return the output at every time step (needed to feed another recurrent layer) instead of the last one.")]
    public bool ReturnSequences { get; init; }

    [Doc("Fraction of the layer's input units dropped while training; one mask per sequence, as in Keras.")]
    [SpecRange(0, 1, MaxExclusive = true)]
    public double Dropout { get; init; }

    /// <summary>Gate blocks per unit, in libtorch's order: LSTM i, f, g, o; GRU r, z, n; SimpleRNN one.</summary>
    public abstract int Gates { get; }
}

[Doc("Fully-connected recurrent layer: h_t = act(x_t W + h_{t-1} U + b).")]
[SpecName("simple_rnn", Keras = "SimpleRNN")]
public sealed record SimpleRnnLayerSpec : RecurrentLayerSpec
{
    public override int Gates => 1;

    [Doc("tanh (default) or relu.")]
    public Activation Activation { get; init; } = Activation.Tanh;
}

[Doc("Long short-term memory layer (Hochreiter & Schmidhuber, 1997), gates i, f, c, o.")]
[SpecName("lstm", Keras = "LSTM")]
public sealed record LstmLayerSpec : RecurrentLayerSpec
{
    public override int Gates => 4;
}

[Doc("Gated recurrent unit (Cho et al., 2014), reset gate applied after the recurrent product (Keras reset_after).")]
[SpecName("gru", Keras = "GRU")]
public sealed record GruLayerSpec : RecurrentLayerSpec
{
    public override int Gates => 3;
}

[Doc("Runs the wrapped recurrent layer forwards and backwards in time and merges the two outputs.")]
[SpecName("bidirectional", Keras = "Bidirectional")]
public sealed record BidirectionalLayerSpec : LayerSpec
{
    [Doc("The recurrent layer to run in both directions.")]
    public required RecurrentLayerSpec Layer { get; init; }

    [Doc("concat (default), sum, mul or ave.")]
    public MergeMode MergeMode { get; init; } = MergeMode.Concat;
}

[Doc("Fully-connected layer; on a sequence it is applied at every time step (per-step outputs).")]
[SpecName("dense", Keras = "Dense")]
public sealed record DenseLayerSpec : LayerSpec
{
    [SpecRange(1, 1_000_000)]
    public required int Units { get; init; }

    [Doc("linear (default), tanh, relu, sigmoid or softmax.")]
    public Activation Activation { get; init; } = Activation.Linear;
}

[Doc("Randomly zeroes a fraction of its input while training.")]
[SpecName("dropout", Keras = "Dropout")]
public sealed record DropoutLayerSpec : LayerSpec
{
    [SpecRange(0, 1, MaxExclusive = true)]
    public required double Rate { get; init; }
}

[Doc("The largest value of each feature over the time steps (Keras' GlobalMaxPooling1D); masked steps are left out.")]
[SpecName("global_max_pooling", Keras = "GlobalMaxPooling1D")]
public sealed record GlobalMaxPoolingLayerSpec : LayerSpec;

[Doc("The mean of each feature over the time steps (Keras' GlobalAveragePooling1D); masked steps are left out.")]
[SpecName("global_average_pooling", Keras = "GlobalAveragePooling1D")]
public sealed record GlobalAveragePoolingLayerSpec : LayerSpec;

/// <summary>A recurrent layer's weights grow with the square of its units: say how much memory a value would need.</summary>
public sealed class RecurrentWeightsMemory : IOutOfRangeHint
{
    public string? Explain(double units) => units > 65_536
        ? $"an LSTM layer of that width needs {Sizes.Bytes(4 * units * units * sizeof(float))} for its recurrent weights alone"
        : null;
}
