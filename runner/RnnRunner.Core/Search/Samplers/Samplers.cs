using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Search.Samplers;

/// <summary>
/// Marks an <see cref="ISampler"/> as the one a <see cref="SamplerSpec"/> record (named by <c>search.sampler</c>) builds;
/// the sampler is constructed from (that record, the study's seed).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SamplesAttribute(Type spec) : Attribute
{
    public Type Spec { get; } = spec;
}

/// <summary>
/// The sampler registry: every <see cref="ISampler"/> marked <see cref="SamplesAttribute"/> in this assembly, by the
/// spec record it reads. Adding a sampler is its spec record (named with [SpecName]) and its class (marked [Samples]);
/// a record with no sampler is an error here, never a quiet fallback to another one.
/// </summary>
public static class Samplers
{
    private static readonly IReadOnlyDictionary<Type, Type> Registered = MarkedTypes.By<SamplesAttribute, Type>(typeof(Samplers).Assembly, mark => mark.Spec);

    /// <summary>The spec records a sampler is registered for.</summary>
    public static IReadOnlyCollection<Type> Specs => [.. Registered.Keys];

    /// <summary>The sampler <paramref name="spec"/> describes, seeded.</summary>
    public static ISampler Create(SamplerSpec spec, int seed) =>
        Registered.TryGetValue(spec.GetType(), out var type)
            ? (ISampler)Activator.CreateInstance(type, spec, seed)!
            : throw new InvalidOperationException($"no sampler is registered for {spec.GetType().Name} (mark one with [Samples(typeof({spec.GetType().Name}))])");

    /// <summary>The sampler a study would name <paramref name="name"/>, with its defaults (for benchmarks and tests).</summary>
    public static ISampler Named(string name, int seed)
    {
        var union = Core.Specs.Schema.SpecSchema.UnionOf(typeof(SamplerSpec));
        var variant = union.Resolve(name, union.Variants) ?? throw new ArgumentException($"no sampler is named '{name}'", nameof(name));
        return Create((SamplerSpec)Activator.CreateInstance(variant.Value)!, seed);
    }
}
