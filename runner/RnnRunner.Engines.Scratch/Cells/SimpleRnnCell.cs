using System.Numerics;
using System.Numerics.Tensors;
using RnnRunner.Engines.Scratch.Maths;

namespace RnnRunner.Engines.Scratch.Cells;

/// <summary>
/// Elman's simple RNN (Keras SimpleRNN, torch nn.RNN):
/// <code>
///   a_t = x_t·Wᵀ + b_ih + h_{t−1}·Uᵀ + b_hh
///   h_t = tanh(a_t)            (or relu(a_t))
/// backward:
///   da_t = dh_t ⊙ (1 − h_t²)   (relu: dh_t ⊙ [a_t > 0])
///   dh_{t−1} = da_t·U          (added by the layer)
/// </code>
/// </summary>
internal sealed class SimpleRnnCell<T>(bool relu) : RecurrentCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public override IReadOnlyList<string> GateNames => ["a"];

    public override CellMemory<T> CreateMemory(int units) => new(1, units);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Forward(CellMemory<T> m, RecurrentWeights<T> w, int t, int previous)
    {
        var a = m.Gate(0, t); // holds x_t·Wᵀ + b_ih + b_hh
        Gemm.MultiplyAdd(m.HiddenBefore(previous), w.UTransposed(0), a, m.Batch, m.Units, m.Units);
        var h = m.H(t);
        if (relu)
        {
            TensorPrimitives.Max<T>(a, T.Zero, h);
            return;
        }
        var e = 0;
        for (; e + Lanes<T>.Width <= h.Length; e += Lanes<T>.Width) Lanes<T>.Store(h, e, VectorMath.Tanh(Lanes<T>.Load(a, e)));
        for (; e < h.Length; e++) h[e] = T.Tanh(a[e]);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Backward(CellMemory<T> m, RecurrentWeights<T> w, int t, int previous, Span<T> dh, Span<T> dhPrevious)
    {
        ReadOnlySpan<T> h = m.H(t);
        var da = m.GateGradient(0, t);
        if (relu)
        {
            for (var e = 0; e < da.Length; e++) da[e] = h[e] > T.Zero ? dh[e] : T.Zero;
            return;
        }
        var e0 = 0;
        for (; e0 + Lanes<T>.Width <= da.Length; e0 += Lanes<T>.Width)
        {
            var hv = Lanes<T>.Load(h, e0);
            Lanes<T>.Store(da, e0, Lanes<T>.Load(dh, e0) * (System.Runtime.Intrinsics.Vector256<T>.One - hv * hv));
        }
        for (; e0 < da.Length; e0++) da[e0] = dh[e0] * (T.One - h[e0] * h[e0]);
    }
}
