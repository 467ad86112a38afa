using System.Numerics;
using RnnRunner.Engines.Scratch.Layers;
using RnnRunner.Engines.Scratch.Maths;

namespace RnnRunner.Engines.Scratch.Cells;

/// <summary>
/// The maths of one recurrent cell type, one time step at a time. The layer around it
/// (<see cref="RecurrentLayer{T}"/>) has already put every step's input projection x_t·W_kᵀ + b_k into the
/// gate buffers in one big matrix product; a cell adds the recurrent term h_{t−1}·U_kᵀ, applies its gate
/// arithmetic, and on the way back turns dL/dh_t into gradients at each gate's pre-activation.
/// Notation: x_t input, h_t hidden state, W input kernel, U recurrent kernel, b biases, σ the logistic function.
/// </summary>
internal abstract class RecurrentCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Gate names in libtorch's (and Keras') block order, e.g. i, f, g, o.</summary>
    public abstract IReadOnlyList<string> GateNames { get; }

    public int Gates => GateNames.Count;

    /// <summary>Whether gate <paramref name="gate"/>'s recurrent bias can be added once with its input bias
    /// (true except for the GRU candidate, where the reset gate multiplies the recurrent term and its bias).</summary>
    public virtual bool FoldsRecurrentBias(int gate) => true;

    /// <summary>The step's memory: gate values and any state beyond h (an LSTM's c).</summary>
    public abstract CellMemory<T> CreateMemory(int units);

    /// <summary>Step <paramref name="t"/>, after step <paramref name="previous"/> (−1: the zero initial state).</summary>
    public abstract void Forward(CellMemory<T> m, RecurrentWeights<T> w, int t, int previous);

    /// <summary>Called once before the backward loop: clear state gradients carried between steps.</summary>
    public virtual void BeginBackward(CellMemory<T> m) { }

    /// <summary>
    /// Back through step <paramref name="t"/>: from <paramref name="dh"/> (dL/dh_t, all paths) write the
    /// pre-activation gradients of step t into the memory, and add to <paramref name="dhPrevious"/> the part of
    /// dL/dh_{t−1} that does not pass through a recurrent kernel (the layer adds the Σ dgate·U part).
    /// </summary>
    public abstract void Backward(CellMemory<T> m, RecurrentWeights<T> w, int t, int previous, Span<T> dh, Span<T> dhPrevious);
}

/// <summary>
/// One direction's buffers for one shard: per gate (steps, batch, units) arrays, first of pre-activations, then
/// of gate values; the hidden states; and the gradients at the pre-activations. Cells add their own state.
/// </summary>
internal class CellMemory<T>(int gates, int units) where T : unmanaged, IFloatingPointIeee754<T>
{
    public int Steps { get; private set; }
    public int Batch { get; private set; }
    public int Units => units;

    /// <summary>Per gate: pre-activations, replaced by the gate's value as each step runs.</summary>
    public T[][] GateValues { get; } = new T[gates][];

    /// <summary>Per gate: dL/d(pre-activation) along the input path (to W and x).</summary>
    public T[][] GateGradients { get; } = new T[gates][];

    /// <summary>h_t for every step, in the input's time order.</summary>
    public T[] Hidden { get; private set; } = [];

    private T[] _zeros = [];

    /// <summary>Sizes every buffer for (steps, batch); contents are left as they are.</summary>
    public virtual void Resize(int steps, int batch)
    {
        (Steps, Batch) = (steps, batch);
        var length = steps * batch * units;
        for (var k = 0; k < GateValues.Length; k++)
        {
            GateValues[k] = Grow(GateValues[k], length);
            GateGradients[k] = Grow(GateGradients[k], length);
        }
        Hidden = Grow(Hidden, length);
        if (_zeros.Length < batch * units) _zeros = new T[batch * units];
    }

    /// <summary>dL/d(pre-activation) of gate k along the recurrent path (to U and h_{t−1}); the input-path
    /// gradient except where a cell says otherwise.</summary>
    public virtual T[] RecurrentGradient(int gate) => GateGradients[gate];

    public Span<T> StepOf(T[] buffer, int t) => buffer.AsSpan(t * Batch * units, Batch * units);

    public Span<T> Gate(int gate, int t) => StepOf(GateValues[gate], t);
    public Span<T> GateGradient(int gate, int t) => StepOf(GateGradients[gate], t);
    public Span<T> H(int t) => StepOf(Hidden, t);

    /// <summary>h_{t−1}: the hidden state of <paramref name="previous"/>, or zeros before the first step.</summary>
    public ReadOnlySpan<T> HiddenBefore(int previous) => previous < 0 ? _zeros.AsSpan(0, Batch * units) : H(previous);

    /// <summary>A read-only (batch, units) span of zeros.</summary>
    public ReadOnlySpan<T> Zeros => _zeros.AsSpan(0, Batch * units);

    protected static T[] Grow(T[]? buffer, int length) => buffer is not null && buffer.Length >= length ? buffer : new T[length];
}

/// <summary>
/// One direction's parameters in libtorch's layout — weight_ih (gates·units, F), weight_hh (gates·units, units),
/// bias_ih and bias_hh (gates·units) — with per-gate transposed copies for the forward products.
/// </summary>
internal sealed class RecurrentWeights<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _inputKernels, _recurrentKernels;

    public RecurrentWeights(string prefix, int gates, int inputs, int units)
    {
        (Gates, Inputs, Units) = (gates, inputs, units);
        WeightIh = new Parameter<T>($"{prefix}.weight_ih", gates * units, inputs);
        WeightHh = new Parameter<T>($"{prefix}.weight_hh", gates * units, units);
        BiasIh = new Parameter<T>($"{prefix}.bias_ih", gates * units);
        BiasHh = new Parameter<T>($"{prefix}.bias_hh", gates * units);
        _inputKernels = new T[gates * inputs * units];
        _recurrentKernels = new T[gates * units * units];
    }

    public int Gates { get; }
    public int Inputs { get; }
    public int Units { get; }
    public Parameter<T> WeightIh { get; }
    public Parameter<T> WeightHh { get; }
    public Parameter<T> BiasIh { get; }
    public Parameter<T> BiasHh { get; }
    public IReadOnlyList<Parameter<T>> Parameters => [WeightIh, WeightHh, BiasIh, BiasHh];

    /// <summary>W_k: gate k's rows of weight_ih, (units, F).</summary>
    public ReadOnlySpan<T> W(int gate) => WeightIh.Values.AsSpan(gate * Units * Inputs, Units * Inputs);

    /// <summary>U_k: gate k's rows of weight_hh, (units, units).</summary>
    public ReadOnlySpan<T> U(int gate) => WeightHh.Values.AsSpan(gate * Units * Units, Units * Units);

    /// <summary>W_kᵀ, (F, units): x·W_kᵀ is a row-streaming product.</summary>
    public ReadOnlySpan<T> WTransposed(int gate) => _inputKernels.AsSpan(gate * Inputs * Units, Inputs * Units);

    /// <summary>U_kᵀ, (units, units).</summary>
    public ReadOnlySpan<T> UTransposed(int gate) => _recurrentKernels.AsSpan(gate * Units * Units, Units * Units);

    public ReadOnlySpan<T> InputBias(int gate) => BiasIh.Values.AsSpan(gate * Units, Units);
    public ReadOnlySpan<T> RecurrentBias(int gate) => BiasHh.Values.AsSpan(gate * Units, Units);

    public void Refresh()
    {
        for (var k = 0; k < Gates; k++)
        {
            Gemm.Transpose(W(k), _inputKernels.AsSpan(k * Inputs * Units, Inputs * Units), Units, Inputs);
            Gemm.Transpose(U(k), _recurrentKernels.AsSpan(k * Units * Units, Units * Units), Units, Units);
        }
    }
}
