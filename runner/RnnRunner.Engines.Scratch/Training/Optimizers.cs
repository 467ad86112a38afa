using RnnRunner.Core.Specs;

namespace RnnRunner.Engines.Scratch.Training;

/// <summary>
/// The optimizers a spec can ask for, with libtorch's update rules (which the TorchSharp engine uses), so a
/// spec trains the same way on both engines. State is one array per parameter per moment, saved in checkpoints.
/// </summary>
internal abstract class Optimizer(double learningRate)
{
    public double LearningRate { get; } = learningRate;

    public static Optimizer Create(OptimizerSpec spec, IReadOnlyList<int> sizes) => spec switch
    {
        SgdOptimizerSpec s => new Sgd(s, sizes),
        RmsPropOptimizerSpec r => new RmsProp(r, sizes),
        AdamOptimizerSpec a => new Adam(a, sizes),
        _ => throw new ArgumentOutOfRangeException(nameof(spec)),
    };

    /// <summary>Updates every parameter in place from its gradient.</summary>
    public abstract void Step(IReadOnlyList<float[]> parameters, IReadOnlyList<float[]> gradients);

    protected abstract IEnumerable<float[]> State { get; }
    protected long Steps;

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

    /// <summary>v ← momentum·v + g;  θ ← θ − lr·(nesterov ? g + momentum·v : v)   (plain SGD when momentum is 0).</summary>
    private sealed class Sgd(SgdOptimizerSpec spec, IReadOnlyList<int> sizes) : Optimizer(spec.LearningRate)
    {
        private readonly float[][] _velocity = Zeros(sizes);
        protected override IEnumerable<float[]> State => _velocity;

        public override void Step(IReadOnlyList<float[]> parameters, IReadOnlyList<float[]> gradients)
        {
            float lr = (float)spec.LearningRate, momentum = (float)spec.Momentum;
            for (var p = 0; p < parameters.Count; p++)
            {
                float[] theta = parameters[p], g = gradients[p], v = _velocity[p];
                for (var i = 0; i < theta.Length; i++)
                {
                    var step = g[i];
                    if (momentum != 0)
                    {
                        v[i] = Steps == 0 ? g[i] : momentum * v[i] + g[i]; // libtorch starts the buffer at g
                        step = spec.Nesterov ? g[i] + momentum * v[i] : v[i];
                    }
                    theta[i] -= lr * step;
                }
            }
            Steps++;
        }
    }

    /// <summary>s ← ρ·s + (1 − ρ)·g²;  u = g / (√s + ε);  θ ← θ − lr·(momentum ? (m ← momentum·m + u) : u).</summary>
    private sealed class RmsProp(RmsPropOptimizerSpec spec, IReadOnlyList<int> sizes) : Optimizer(spec.LearningRate)
    {
        private readonly float[][] _square = Zeros(sizes), _momentum = Zeros(sizes);
        protected override IEnumerable<float[]> State => _square.Concat(_momentum);

        public override void Step(IReadOnlyList<float[]> parameters, IReadOnlyList<float[]> gradients)
        {
            float lr = (float)spec.LearningRate, rho = (float)spec.Rho, eps = (float)spec.Epsilon, momentum = (float)spec.Momentum;
            for (var p = 0; p < parameters.Count; p++)
            {
                float[] theta = parameters[p], g = gradients[p], s = _square[p], m = _momentum[p];
                for (var i = 0; i < theta.Length; i++)
                {
                    s[i] = rho * s[i] + (1 - rho) * g[i] * g[i];
                    var u = g[i] / (MathF.Sqrt(s[i]) + eps);
                    if (momentum != 0) u = m[i] = momentum * m[i] + u;
                    theta[i] -= lr * u;
                }
            }
            Steps++;
        }
    }

    /// <summary>m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).</summary>
    private sealed class Adam(AdamOptimizerSpec spec, IReadOnlyList<int> sizes) : Optimizer(spec.LearningRate)
    {
        private readonly float[][] _first = Zeros(sizes), _second = Zeros(sizes);
        protected override IEnumerable<float[]> State => _first.Concat(_second);

        public override void Step(IReadOnlyList<float[]> parameters, IReadOnlyList<float[]> gradients)
        {
            Steps++;
            float b1 = (float)spec.Beta1, b2 = (float)spec.Beta2, eps = (float)spec.Epsilon;
            var stepSize = (float)(spec.LearningRate / (1 - Math.Pow(spec.Beta1, Steps)));
            var secondCorrection = (float)Math.Sqrt(1 - Math.Pow(spec.Beta2, Steps));
            for (var p = 0; p < parameters.Count; p++)
            {
                float[] theta = parameters[p], g = gradients[p], m = _first[p], v = _second[p];
                for (var i = 0; i < theta.Length; i++)
                {
                    m[i] = b1 * m[i] + (1 - b1) * g[i];
                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                    theta[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / secondCorrection + eps);
                }
            }
        }
    }
}
