using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Search.Samplers;

/// <summary>
/// The sampler registry: each <see cref="SamplerSpec"/> record's <see cref="ISampler"/>, marked
/// <c>[Implements(typeof(TheSamplerSpec))]</c> and built from (that record, the study's seed).
/// </summary>
public static class Samplers
{
    private static readonly SpecRegistry<ISampler> Registry = new();

    /// <summary>The spec records a sampler is registered for.</summary>
    public static IReadOnlyCollection<Type> Specs => Registry.Specs;

    /// <summary>The sampler <paramref name="spec"/> describes, seeded.</summary>
    public static ISampler Create(SamplerSpec spec, int seed) => Registry.Create(spec, seed);

    /// <summary>The sampler a study would name <paramref name="name"/>, with its defaults (for benchmarks and tests).</summary>
    public static ISampler Named(string name, int seed)
    {
        var union = Core.Specs.Schema.SpecSchema.UnionOf(typeof(SamplerSpec));
        var variant = union.Resolve(name, union.Variants) ?? throw new ArgumentException($"no sampler is named '{name}'", nameof(name));
        return Create((SamplerSpec)Activator.CreateInstance(variant.Value)!, seed);
    }
}
