using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Synthetic;

/// <summary>
/// Random tokens in; at each step the target is the token seen <c>delay</c> steps earlier (class 0 before the
/// first one exists). A per-time-step classification task: the model must carry the last few tokens forward.
/// </summary>
[Implements(typeof(DelayedEchoDataSpec))]
public sealed class DelayedEchoSource(DelayedEchoDataSpec spec) : SyntheticSource<DelayedEchoDataSpec>(spec)
{
    public DelayedEchoSource(DelayedEchoDataSpec spec, DataSourceContext context) : this(spec) { }


    public override DataSignature Describe() =>
        new(InputKind.Tokens, Spec.VocabularySize, Spec.SequenceLength, TargetKind.ClassesPerStep, Spec.VocabularySize);

    protected override SequenceDataset Generate(Random random, int count)
    {
        int steps = Spec.SequenceLength, delay = Spec.Delay;
        var tokens = new int[count * steps];
        var labels = new int[count * steps];
        for (var n = 0; n < count; n++)
        {
            var offset = n * steps;
            for (var t = 0; t < steps; t++) tokens[offset + t] = random.Next(Spec.VocabularySize);
            for (var t = 0; t < steps; t++) labels[offset + t] = t >= delay ? tokens[offset + t - delay] : 0;
        }
        return new SequenceDataset(Describe(), count, tokens, null, labels, null);
    }
}
