using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Search.Samplers;

/// <summary>Marks an <see cref="ISampler"/> as the one that <c>search.sampler: &lt;kind&gt;</c> names; it takes the study's seed.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SamplesAttribute(SamplerKind kind) : Attribute
{
    public SamplerKind Kind { get; } = kind;
}

/// <summary>
/// The sampler registry: every <see cref="ISampler"/> marked <see cref="SamplesAttribute"/> in this assembly, by the kind it
/// samples for. Adding a sampler is its class (with the attribute) and its <see cref="SamplerKind"/> value; a kind with
/// no sampler is an error here, never a quiet fallback to another one.
/// </summary>
public static class Samplers
{
    private static readonly IReadOnlyDictionary<SamplerKind, Type> Registered = MarkedTypes.By<SamplesAttribute, SamplerKind>(typeof(Samplers).Assembly, mark => mark.Kind);

    /// <summary>The kinds a sampler is registered for.</summary>
    public static IReadOnlyCollection<SamplerKind> Kinds => [.. Registered.Keys];

    /// <summary>The sampler <paramref name="kind"/> names, seeded.</summary>
    public static ISampler Create(SamplerKind kind, int seed) =>
        Registered.TryGetValue(kind, out var type)
            ? (ISampler)Activator.CreateInstance(type, seed)!
            : throw new InvalidOperationException($"no sampler is registered for search.sampler '{kind}' (mark one with [Samples(SamplerKind.{kind})])");
}
