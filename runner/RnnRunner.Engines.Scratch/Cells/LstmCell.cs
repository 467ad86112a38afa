using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using RnnRunner.Engines.Scratch.Maths;

namespace RnnRunner.Engines.Scratch.Cells;

/// <summary>
/// Long short-term memory (Hochreiter &amp; Schmidhuber), gates in Keras/libtorch order i, f, g, o:
/// <code>
///   i_t = σ(x_t·W_iᵀ + h_{t−1}·U_iᵀ + b_i)      input gate
///   f_t = σ(x_t·W_fᵀ + h_{t−1}·U_fᵀ + b_f)      forget gate
///   g_t = tanh(x_t·W_gᵀ + h_{t−1}·U_gᵀ + b_g)   candidate cell
///   o_t = σ(x_t·W_oᵀ + h_{t−1}·U_oᵀ + b_o)      output gate
///   c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
///   h_t = o_t ⊙ tanh(c_t)
/// backward, with dc carried from step t+1:
///   do = dh ⊙ tanh(c_t) ⊙ o(1 − o)
///   dc = dc_{t+1} + dh ⊙ o ⊙ (1 − tanh²(c_t))
///   di = dc ⊙ g ⊙ i(1 − i);   dg = dc ⊙ i ⊙ (1 − g²);   df = dc ⊙ c_{t−1} ⊙ f(1 − f)
///   dc_{t−1} = dc ⊙ f;        dh_{t−1} = Σ_k dk·U_k   (added by the layer)
/// </code>
/// </summary>
internal sealed class LstmCell<T> : RecurrentCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public const int I = 0, F = 1, G = 2, O = 3;

    public override IReadOnlyList<string> GateNames => ["i", "f", "g", "o"];

    public override CellMemory<T> CreateMemory(int units) => new Memory(units);

    /// <summary>Adds the cell state c_t, tanh(c_t) and the cell-state gradient carried back between steps.</summary>
    internal sealed class Memory(int units) : CellMemory<T>(4, units)
    {
        public T[] Cell { get; private set; } = [];
        public T[] TanhCell { get; private set; } = [];
        public T[] CellGradient { get; private set; } = [];

        public override void Resize(int steps, int batch)
        {
            base.Resize(steps, batch);
            Cell = Grow(Cell, steps * batch * Units);
            TanhCell = Grow(TanhCell, steps * batch * Units);
            CellGradient = Grow(CellGradient, batch * Units);
        }

        public Span<T> C(int t) => StepOf(Cell, t);
        public ReadOnlySpan<T> CellBefore(int previous) => previous < 0 ? Zeros : C(previous);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Forward(CellMemory<T> memory, RecurrentWeights<T> w, int t, int previous)
    {
        var m = (Memory)memory;
        var hPrevious = m.HiddenBefore(previous);
        for (var k = 0; k < 4; k++) Gemm.MultiplyAdd(hPrevious, w.UTransposed(k), m.Gate(k, t), m.Batch, m.Units, m.Units);
        Span<T> i = m.Gate(I, t), f = m.Gate(F, t), g = m.Gate(G, t), o = m.Gate(O, t);
        Span<T> c = m.C(t), tanhC = m.StepOf(m.TanhCell, t), h = m.H(t);
        var cPrevious = m.CellBefore(previous);
        // One pass over the step: gates, c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t).
        var e = 0;
        for (; e + Lanes<T>.Width <= h.Length; e += Lanes<T>.Width)
        {
            var iv = VectorMath.Sigmoid(Lanes<T>.Load(i, e));
            var fv = VectorMath.Sigmoid(Lanes<T>.Load(f, e));
            var gv = VectorMath.Tanh(Lanes<T>.Load(g, e));
            var ov = VectorMath.Sigmoid(Lanes<T>.Load(o, e));
            var cv = fv * Lanes<T>.Load(cPrevious, e) + iv * gv;
            var tc = VectorMath.Tanh(cv);
            Lanes<T>.Store(i, e, iv); Lanes<T>.Store(f, e, fv); Lanes<T>.Store(g, e, gv); Lanes<T>.Store(o, e, ov);
            Lanes<T>.Store(c, e, cv); Lanes<T>.Store(tanhC, e, tc); Lanes<T>.Store(h, e, ov * tc);
        }
        for (; e < h.Length; e++)
        {
            (i[e], f[e], g[e], o[e]) = (VectorMath.Sigmoid(i[e]), VectorMath.Sigmoid(f[e]), T.Tanh(g[e]), VectorMath.Sigmoid(o[e]));
            c[e] = f[e] * cPrevious[e] + i[e] * g[e];
            tanhC[e] = T.Tanh(c[e]);
            h[e] = o[e] * tanhC[e];
        }
    }

    public override void BeginBackward(CellMemory<T> memory) => Array.Clear(((Memory)memory).CellGradient);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Backward(CellMemory<T> memory, RecurrentWeights<T> w, int t, int previous, Span<T> dh, Span<T> dhPrevious)
    {
        var m = (Memory)memory;
        ReadOnlySpan<T> i = m.Gate(I, t), f = m.Gate(F, t), g = m.Gate(G, t), o = m.Gate(O, t);
        ReadOnlySpan<T> tanhC = m.StepOf(m.TanhCell, t), cPrevious = m.CellBefore(previous);
        Span<T> di = m.GateGradient(I, t), df = m.GateGradient(F, t), dg = m.GateGradient(G, t), dO = m.GateGradient(O, t);
        var dcCarry = m.CellGradient.AsSpan(0, m.Batch * m.Units); // dc_{t+1}·f_{t+1} in, dc_t·f_t out
        var e = 0;
        var one = Vector256<T>.One;
        for (; e + Lanes<T>.Width <= di.Length; e += Lanes<T>.Width)
        {
            Vector256<T> dhv = Lanes<T>.Load(dh, e), tc = Lanes<T>.Load(tanhC, e);
            Vector256<T> iv = Lanes<T>.Load(i, e), fv = Lanes<T>.Load(f, e), gv = Lanes<T>.Load(g, e), ov = Lanes<T>.Load(o, e);
            Lanes<T>.Store(dO, e, dhv * tc * ov * (one - ov));
            var dc = Lanes<T>.Load(dcCarry, e) + dhv * ov * (one - tc * tc);
            Lanes<T>.Store(di, e, dc * gv * iv * (one - iv));
            Lanes<T>.Store(dg, e, dc * iv * (one - gv * gv));
            Lanes<T>.Store(df, e, dc * Lanes<T>.Load(cPrevious, e) * fv * (one - fv));
            Lanes<T>.Store(dcCarry, e, dc * fv);
        }
        for (; e < di.Length; e++)
        {
            dO[e] = dh[e] * tanhC[e] * o[e] * (T.One - o[e]);
            var dc = dcCarry[e] + dh[e] * o[e] * (T.One - tanhC[e] * tanhC[e]);
            di[e] = dc * g[e] * i[e] * (T.One - i[e]);
            dg[e] = dc * i[e] * (T.One - g[e] * g[e]);
            df[e] = dc * cPrevious[e] * f[e] * (T.One - f[e]);
            dcCarry[e] = dc * f[e];
        }
    }
}
