using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using RnnRunner.Engines.Scratch.Maths;

namespace RnnRunner.Engines.Scratch.Cells;

/// <summary>
/// Gated recurrent unit (Cho et al.), as libtorch and Keras' default reset_after=True compute it, gates r, z, n:
/// <code>
///   r_t = σ(x_t·W_rᵀ + b_ir + h_{t−1}·U_rᵀ + b_hr)          reset gate
///   z_t = σ(x_t·W_zᵀ + b_iz + h_{t−1}·U_zᵀ + b_hz)          update gate
///   q_t = h_{t−1}·U_nᵀ + b_hn                              recurrent part of the candidate
///   n_t = tanh(x_t·W_nᵀ + b_in + r_t ⊙ q_t)                candidate
///   h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
/// backward:
///   dn = dh ⊙ (1 − z);  dz = dh ⊙ (h_{t−1} − n)
///   dn̂ = dn ⊙ (1 − n²);  dr̂ = dn̂ ⊙ q ⊙ r(1 − r);  dẑ = dz ⊙ z(1 − z)     (ˆ: pre-activation)
///   dq = dn̂ ⊙ r   — the candidate's gradient on the recurrent path (to U_n, b_hn)
///   dh_{t−1} = dh ⊙ z + dr̂·U_r + dẑ·U_z + dq·U_n   (the products added by the layer)
/// </code>
/// </summary>
internal sealed class GruCell<T> : RecurrentCell<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public const int R = 0, Z = 1, N = 2;

    public override IReadOnlyList<string> GateNames => ["r", "z", "n"];

    public override bool FoldsRecurrentBias(int gate) => gate != N;

    public override CellMemory<T> CreateMemory(int units) => new Memory(units);

    /// <summary>Adds q_t (the candidate's recurrent term) and its gradient.</summary>
    internal sealed class Memory(int units) : CellMemory<T>(3, units)
    {
        public T[] Recurrent { get; private set; } = [];
        public T[] RecurrentCandidateGradient { get; private set; } = [];

        public override void Resize(int steps, int batch)
        {
            base.Resize(steps, batch);
            Recurrent = Grow(Recurrent, steps * batch * Units);
            RecurrentCandidateGradient = Grow(RecurrentCandidateGradient, steps * batch * Units);
        }

        public override T[] RecurrentGradient(int gate) => gate == N ? RecurrentCandidateGradient : GateGradients[gate];

        public Span<T> Q(int t) => StepOf(Recurrent, t);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Forward(CellMemory<T> memory, RecurrentWeights<T> w, int t, int previous)
    {
        var m = (Memory)memory;
        var hPrevious = m.HiddenBefore(previous);
        Span<T> r = m.Gate(R, t), z = m.Gate(Z, t), n = m.Gate(N, t), q = m.Q(t), h = m.H(t);
        Gemm.MultiplyAdd(hPrevious, w.UTransposed(R), r, m.Batch, m.Units, m.Units);
        Gemm.MultiplyAdd(hPrevious, w.UTransposed(Z), z, m.Batch, m.Units, m.Units);
        Gemm.MultiplyWithBias(hPrevious, w.UTransposed(N), w.RecurrentBias(N), q, m.Batch, m.Units, m.Units);
        var e = 0;
        for (; e + Lanes<T>.Width <= h.Length; e += Lanes<T>.Width)
        {
            var rv = VectorMath.Sigmoid(Lanes<T>.Load(r, e));
            var zv = VectorMath.Sigmoid(Lanes<T>.Load(z, e));
            var nv = VectorMath.Tanh(Lanes<T>.Load(n, e) + rv * Lanes<T>.Load(q, e));
            Lanes<T>.Store(r, e, rv); Lanes<T>.Store(z, e, zv); Lanes<T>.Store(n, e, nv);
            Lanes<T>.Store(h, e, nv + zv * (Lanes<T>.Load(hPrevious, e) - nv));
        }
        for (; e < h.Length; e++)
        {
            (r[e], z[e]) = (VectorMath.Sigmoid(r[e]), VectorMath.Sigmoid(z[e]));
            n[e] = T.Tanh(n[e] + r[e] * q[e]);
            h[e] = n[e] + z[e] * (hPrevious[e] - n[e]);
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Backward(CellMemory<T> memory, RecurrentWeights<T> w, int t, int previous, Span<T> dh, Span<T> dhPrevious)
    {
        var m = (Memory)memory;
        ReadOnlySpan<T> r = m.Gate(R, t), z = m.Gate(Z, t), n = m.Gate(N, t), q = m.Q(t), hPrevious = m.HiddenBefore(previous);
        Span<T> dr = m.GateGradient(R, t), dz = m.GateGradient(Z, t), dn = m.GateGradient(N, t);
        var dq = m.StepOf(m.RecurrentCandidateGradient, t);
        var e = 0;
        var one = Vector256<T>.One;
        for (; e + Lanes<T>.Width <= dr.Length; e += Lanes<T>.Width)
        {
            Vector256<T> dhv = Lanes<T>.Load(dh, e), rv = Lanes<T>.Load(r, e), zv = Lanes<T>.Load(z, e), nv = Lanes<T>.Load(n, e);
            var hp = Lanes<T>.Load(hPrevious, e);
            var dnHat = dhv * (one - zv) * (one - nv * nv);
            Lanes<T>.Store(dn, e, dnHat);
            Lanes<T>.Store(dr, e, dnHat * Lanes<T>.Load(q, e) * rv * (one - rv));
            Lanes<T>.Store(dz, e, dhv * (hp - nv) * zv * (one - zv));
            Lanes<T>.Store(dq, e, dnHat * rv);
            Lanes<T>.Store(dhPrevious, e, Lanes<T>.Load(dhPrevious, e) + dhv * zv);
        }
        for (; e < dr.Length; e++)
        {
            var dnHat = dh[e] * (T.One - z[e]) * (T.One - n[e] * n[e]);
            dn[e] = dnHat;
            dr[e] = dnHat * q[e] * r[e] * (T.One - r[e]);
            dz[e] = dh[e] * (hPrevious[e] - n[e]) * z[e] * (T.One - z[e]);
            dq[e] = dnHat * r[e];
            dhPrevious[e] += dh[e] * z[e];
        }
    }
}
