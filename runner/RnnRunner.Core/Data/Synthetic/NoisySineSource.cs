using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Synthetic;

/// <summary>
/// x_t = sin(ω t + φ) + noise, target y_t = sin(ω (t+1) + φ): predict the next clean value at every step.
/// Frequency and phase vary per sequence, so the model has to infer them from what it has seen so far.
/// </summary>
[Implements(typeof(NoisySineDataSpec))]
public sealed class NoisySineSource(NoisySineDataSpec spec) : SyntheticSource<NoisySineDataSpec>(spec)
{
    public NoisySineSource(NoisySineDataSpec spec, DataSourceContext context) : this(spec) { }


    public const double MinFrequency = 0.1, MaxFrequency = 0.5;

    public override DataSignature Describe() =>
        new(InputKind.Features, 1, Spec.SequenceLength, TargetKind.RegressionPerStep, 1);

    protected override SequenceDataset Generate(Random random, int count)
    {
        var steps = Spec.SequenceLength;
        var inputs = new float[count * steps];
        var targets = new float[count * steps];
        for (var n = 0; n < count; n++)
        {
            var omega = MinFrequency + (MaxFrequency - MinFrequency) * random.NextDouble();
            var phase = 2 * Math.PI * random.NextDouble();
            for (var t = 0; t < steps; t++)
            {
                inputs[n * steps + t] = (float)(Math.Sin(omega * t + phase) + Spec.Noise * random.NextGaussian());
                targets[n * steps + t] = (float)Math.Sin(omega * (t + 1) + phase);
            }
        }
        return new SequenceDataset(Describe(), count, null, inputs, null, targets);
    }
}
