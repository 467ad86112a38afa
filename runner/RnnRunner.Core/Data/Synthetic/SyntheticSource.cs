using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Synthetic;

/// <summary>
/// Shared plumbing of the built-in generated tasks: train and test are drawn from separate seeded streams, so
/// changing test_samples never changes the training examples.
/// </summary>
public abstract class SyntheticSource<TSpec>(TSpec spec) : IDataSource where TSpec : SyntheticDataSpec
{
    protected TSpec Spec { get; } = spec;

    public abstract DataSignature Describe();

    public SourceData Load(int seed, CancellationToken cancellation) =>
        new(Generate(SeededRandom.For(seed, "data-train"), Spec.TrainSamples),
            Generate(SeededRandom.For(seed, "data-test"), Spec.TestSamples));

    protected abstract SequenceDataset Generate(Random random, int count);
}
