using RnnRunner.Core.Specs;
namespace RnnRunner.Core.Search.Samplers;

/// <summary>
/// A scrambled Halton sequence: sample n's coordinate d is n's digits in the d-th prime base, reversed behind the
/// point, each digit position put through its own seeded permutation. Points fill the space far more evenly than
/// random draws (no clumps, no holes), which is what a small budget needs; the scrambling removes plain Halton's
/// correlation between high dimensions. Like every sampler here it ignores nothing it is given but observations.
/// </summary>
[Implements(typeof(HaltonSamplerSpec))]
public sealed class HaltonSampler(int seed) : ISampler
{
    public HaltonSampler(HaltonSamplerSpec spec, int seed) : this(seed) { }

    private const int MaxDimensions = 64;
    private static readonly int[] Primes = FirstPrimes(MaxDimensions);

    public ParameterPoint Sample(IReadOnlyList<SearchParameter> space, int sample, IReadOnlyList<Observation> observations)
    {
        if (space.Count > MaxDimensions) throw new ArgumentException($"halton handles at most {MaxDimensions} parameters, not {space.Count}");
        return new ParameterPoint(space.Select((p, d) => p.Distribution.FromUnit(Coordinate(sample, d))).ToList());
    }

    /// <summary>Coordinate <paramref name="dimension"/> of point <paramref name="index"/>, in [0, 1).</summary>
    public double Coordinate(long index, int dimension)
    {
        var b = Primes[dimension];
        var random = Data.SeededRandom.For(seed, $"halton-{dimension}");
        double value = 0, scale = 1.0 / b;
        // Every digit position, to double precision: beyond the index's own digits they are 0, permuted too.
        for (var n = index; scale > 1e-16; n /= b, scale /= b)
        {
            var permutation = Data.SeededRandom.Permutation(random, b);
            value += permutation[(int)(n % b)] * scale;
        }
        return Math.Min(value, Math.BitDecrement(1.0));
    }

    private static int[] FirstPrimes(int count)
    {
        var primes = new List<int>();
        for (var candidate = 2; primes.Count < count; candidate++)
            if (primes.TakeWhile(p => p * p <= candidate).All(p => candidate % p != 0)) primes.Add(candidate);
        return [.. primes];
    }
}
