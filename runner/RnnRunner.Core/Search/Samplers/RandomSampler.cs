using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Search.Samplers;

/// <summary>Independent uniform draws (in each parameter's own scale), from a stream per sample number.</summary>
[Implements(typeof(RandomSamplerSpec))]
public sealed class RandomSampler(int seed) : ISampler
{
    public RandomSampler(RandomSamplerSpec spec, int seed) : this(seed) { }

    public ParameterPoint Sample(IReadOnlyList<SearchParameter> space, int sample, IReadOnlyList<Observation> observations)
    {
        var random = Data.SeededRandom.For(seed, $"search-random-{sample}");
        return new ParameterPoint(space.Select(p => p.Distribution.Sample(random)).ToList());
    }
}
