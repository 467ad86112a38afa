using System.Reflection;

namespace RnnRunner.Core.Specs;

/// <summary>
/// Marks a class as what a spec record describes: the data source of a <c>DataSpec</c> record, the sampler of a
/// <c>SamplerSpec</c>, the pruner of a <c>PrunerSpec</c>. The class has a constructor taking that record first.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class ImplementsAttribute(Type spec) : Attribute
{
    public Type Spec { get; } = spec;
}

/// <summary>
/// The one registry style for <c>type:</c>-named kinds whose implementation lives in Core: every
/// <typeparamref name="TService"/> in this assembly marked <see cref="ImplementsAttribute"/>, by the spec record it
/// reads. Adding a kind is its record (named with [SpecName]) and its class (marked [Implements]); nothing here
/// changes. A record nobody implements is an error, never a fallback to another kind. (Layers and optimizers are
/// built by each engine, which switches over the records it supports and says which it does not.)
/// </summary>
public sealed class SpecRegistry<TService> where TService : class
{
    private readonly IReadOnlyDictionary<Type, Type> _registered = typeof(SpecRegistry<>).Assembly.GetTypes()
        .Where(type => typeof(TService).IsAssignableFrom(type) && !type.IsAbstract)
        .Select(type => (Type: type, Mark: type.GetCustomAttribute<ImplementsAttribute>()))
        .Where(x => x.Mark is not null)
        .ToDictionary(x => x.Mark!.Spec, x => x.Type); // two classes for one record throw here

    /// <summary>The spec records something is registered for.</summary>
    public IReadOnlyCollection<Type> Specs => [.. _registered.Keys];

    /// <summary>The implementation <paramref name="spec"/> describes, built from it and <paramref name="context"/>.</summary>
    public TService Create(object spec, params object[] context) =>
        _registered.TryGetValue(spec.GetType(), out var type)
            ? (TService)Activator.CreateInstance(type, [spec, .. context])!
            : throw new InvalidOperationException(
                $"no {typeof(TService).Name} is registered for {spec.GetType().Name} (mark one with [Implements(typeof({spec.GetType().Name}))])");
}
