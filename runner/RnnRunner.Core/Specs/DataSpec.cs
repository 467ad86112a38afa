using RnnRunner.Core.Specs.Schema;

namespace RnnRunner.Core.Specs;

/// <summary>Where the examples come from; <c>dataset:</c> picks the concrete record.</summary>
[SpecUnion("dataset")]
[SpecVariant("counting_sentiment", typeof(CountingSentimentDataSpec))]
[SpecVariant("delayed_echo", typeof(DelayedEchoDataSpec))]
[SpecVariant("noisy_sine", typeof(NoisySineDataSpec))]
public abstract record DataSpec
{
    [Doc("Training examples (validation is split off these by training.validation_split).")]
    [SpecRange(1, 10_000_000)]
    public int TrainSamples { get; init; } = 2000;

    [Doc("Held-out test examples, evaluated once after training.")]
    [SpecRange(0, 10_000_000)]
    public int TestSamples { get; init; } = 500;

    [Doc("Time steps per sequence.")]
    [SpecRange(1, 100_000)]
    public int SequenceLength { get; init; } = 20;
}

[Doc("Built-in, seeded: token sequences made of 'positive', 'negative' and neutral words; the label says whether "
     + "positive words outnumber negative ones. Sequence-to-one binary classification that needs memory across "
     + "time (a miniature IMDB).")]
public sealed record CountingSentimentDataSpec : DataSpec
{
    [Doc("Token ids 0..vocabulary_size-1; the first third are positive words, the second third negative.")]
    [SpecRange(3, 1_000_000)]
    public int VocabularySize { get; init; } = 30;
}

[Doc("Built-in, seeded: random token sequences; the target at step t is the token seen `delay` steps before "
     + "(class 0 before that). Sequence-to-sequence classification with a target at every time step.")]
public sealed record DelayedEchoDataSpec : DataSpec
{
    [SpecRange(2, 1_000_000)]
    public int VocabularySize { get; init; } = 8;

    [Doc("How many steps back the target echoes.")]
    [SpecRange(0, 100_000)]
    public int Delay { get; init; } = 2;
}

[Doc("Built-in, seeded: a sine wave with random phase, frequency and noise; the target at every step is the "
     + "next clean value. Sequence-to-sequence regression with one input feature.")]
public sealed record NoisySineDataSpec : DataSpec
{
    [Doc("Standard deviation of the Gaussian noise added to the inputs.")]
    [SpecRange(0, 10)]
    public double Noise { get; init; } = 0.1;
}
