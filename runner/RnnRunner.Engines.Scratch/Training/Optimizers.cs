using System.Numerics;
using RnnRunner.Core.Specs;

namespace RnnRunner.Engines.Scratch.Training;

/// <summary>
/// The optimizers a spec can ask for, with libtorch's update rules (which the TorchSharp engine uses), so a
/// spec trains the same way on both engines. State is one array per parameter per moment, saved in checkpoints.
/// A step is <see cref="BeginStep"/> once, then <see cref="Update"/> over any split of each parameter's elements,
/// so the workers can update disjoint slices side by side. The loops use <see cref="Vector{T}"/> lanes.
/// </summary>
internal abstract class Optimizer(double learningRate)
{
    public double LearningRate { get; set; } = learningRate;

    public static Optimizer Create(OptimizerSpec spec, IReadOnlyList<int> sizes) => spec switch
    {
        SgdOptimizerSpec s => new Sgd(s, sizes),
        RmsPropOptimizerSpec r => new RmsProp(r, sizes),
        AdamOptimizerSpec a => new Adam(a, sizes),
        _ => throw new ArgumentOutOfRangeException(nameof(spec)),
    };

    /// <summary>Steps taken, this one included once <see cref="BeginStep"/> has run.</summary>
    protected long Steps;

    public void BeginStep() => Steps++;

    /// <summary>Updates θ[start..] of parameter <paramref name="p"/> from its gradient slice.</summary>
    public abstract void Update(int p, Span<float> theta, ReadOnlySpan<float> gradient, int start);

    protected abstract IEnumerable<float[]> State { get; }

    public void Save(BinaryWriter writer)
    {
        writer.Write(GetType().Name);
        writer.Write(Steps);
        foreach (var s in State)
        {
            writer.Write(s.Length);
            foreach (var v in s) writer.Write(v);
        }
    }

    public void Load(BinaryReader reader)
    {
        var kind = reader.ReadString();
        if (kind != GetType().Name) throw new InvalidDataException($"the checkpoint holds {kind} state, the spec asks for {GetType().Name}");
        Steps = reader.ReadInt64();
        foreach (var s in State)
        {
            if (reader.ReadInt32() != s.Length) throw new InvalidDataException("the checkpoint's optimizer state does not fit this model");
            for (var i = 0; i < s.Length; i++) s[i] = reader.ReadSingle();
        }
    }

    protected static float[][] Zeros(IReadOnlyList<int> sizes) => sizes.Select(n => new float[n]).ToArray();

    private static readonly int Width = Vector<float>.Count;

    /// <summary>v ← momentum·v + g (v = g on the first step, as libtorch);  θ ← θ − lr·(nesterov ? g + momentum·v : v).</summary>
    private sealed class Sgd(SgdOptimizerSpec spec, IReadOnlyList<int> sizes) : Optimizer(spec.LearningRate)
    {
        private readonly float[][] _velocity = Zeros(sizes);
        protected override IEnumerable<float[]> State => _velocity;

        public override void Update(int p, Span<float> theta, ReadOnlySpan<float> g, int start)
        {
            float lr = (float)LearningRate, momentum = (float)spec.Momentum;
            var v = _velocity[p].AsSpan(start, theta.Length);
            var keep = Steps == 1 ? 0f : momentum; // libtorch starts the buffer at g
            for (var i = 0; i < theta.Length; i++)
            {
                var step = g[i];
                if (momentum != 0)
                {
                    v[i] = keep * v[i] + g[i];
                    step = spec.Nesterov ? g[i] + momentum * v[i] : v[i];
                }
                theta[i] -= lr * step;
            }
        }
    }

    /// <summary>s ← ρ·s + (1 − ρ)·g²;  u = g / (√s + ε);  θ ← θ − lr·(momentum ? (m ← momentum·m + u) : u).</summary>
    private sealed class RmsProp(RmsPropOptimizerSpec spec, IReadOnlyList<int> sizes) : Optimizer(spec.LearningRate)
    {
        private readonly float[][] _square = Zeros(sizes), _momentum = Zeros(sizes);
        protected override IEnumerable<float[]> State => _square.Concat(_momentum);

        public override void Update(int p, Span<float> theta, ReadOnlySpan<float> g, int start)
        {
            float lr = (float)LearningRate, rho = (float)spec.Rho, eps = (float)spec.Epsilon, momentum = (float)spec.Momentum;
            var s = _square[p].AsSpan(start, theta.Length);
            var m = _momentum[p].AsSpan(start, theta.Length);
            var i = 0;
            if (momentum == 0)
                for (; i + Width <= theta.Length; i += Width)
                {
                    var gv = new Vector<float>(g[i..]);
                    var sv = rho * new Vector<float>(s[i..]) + (1 - rho) * gv * gv;
                    sv.CopyTo(s[i..]);
                    (new Vector<float>(theta[i..]) - lr * gv / (Vector.SquareRoot(sv) + new Vector<float>(eps))).CopyTo(theta[i..]);
                }
            for (; i < theta.Length; i++)
            {
                s[i] = rho * s[i] + (1 - rho) * g[i] * g[i];
                var u = g[i] / (MathF.Sqrt(s[i]) + eps);
                if (momentum != 0) u = m[i] = momentum * m[i] + u;
                theta[i] -= lr * u;
            }
        }
    }

    /// <summary>m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).</summary>
    private sealed class Adam(AdamOptimizerSpec spec, IReadOnlyList<int> sizes) : Optimizer(spec.LearningRate)
    {
        private readonly float[][] _first = Zeros(sizes), _second = Zeros(sizes);
        protected override IEnumerable<float[]> State => _first.Concat(_second);

        public override void Update(int p, Span<float> theta, ReadOnlySpan<float> g, int start)
        {
            float b1 = (float)spec.Beta1, b2 = (float)spec.Beta2, eps = (float)spec.Epsilon;
            var stepSize = (float)(LearningRate / (1 - Math.Pow(spec.Beta1, Steps)));
            var secondCorrection = (float)Math.Sqrt(1 - Math.Pow(spec.Beta2, Steps));
            var m = _first[p].AsSpan(start, theta.Length);
            var v = _second[p].AsSpan(start, theta.Length);
            var i = 0;
            for (; i + Width <= theta.Length; i += Width)
            {
                var gv = new Vector<float>(g[i..]);
                var mv = b1 * new Vector<float>(m[i..]) + (1 - b1) * gv;
                var vv = b2 * new Vector<float>(v[i..]) + (1 - b2) * gv * gv;
                mv.CopyTo(m[i..]);
                vv.CopyTo(v[i..]);
                (new Vector<float>(theta[i..]) - stepSize * mv / (Vector.SquareRoot(vv) / secondCorrection + new Vector<float>(eps))).CopyTo(theta[i..]);
            }
            for (; i < theta.Length; i++)
            {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                theta[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / secondCorrection + eps);
            }
        }
    }
}
