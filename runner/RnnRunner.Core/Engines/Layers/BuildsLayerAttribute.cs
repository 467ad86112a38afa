using System.Reflection;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Engines.Layers;

/// <summary>
/// Marks an engine's module for a kind of layer: the engine finds the module by the spec's type, so adding a layer
/// type adds files — a <see cref="LayerType"/> and a module per engine — and changes none. The module has a
/// constructor taking the <see cref="PlannedLayer"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class BuildsLayerAttribute(Type spec) : Attribute
{
    public Type Spec { get; } = spec;
}

/// <summary>Finds the module an engine assembly marks for a layer spec (see <see cref="BuildsLayerAttribute"/>).</summary>
public static class LayerModules
{
    /// <summary>The module class in <paramref name="engine"/> for <paramref name="spec"/>'s type, or null when it has none.</summary>
    public static Type? Find(Assembly engine, Type spec) =>
        engine.GetTypes().FirstOrDefault(t => t.GetCustomAttributes<BuildsLayerAttribute>().Any(a => a.Spec.IsAssignableFrom(spec)));

    /// <summary>
    /// A new module for <paramref name="layer"/> from <paramref name="engine"/>; a generic module (the scratch engine's,
    /// generic over float and double) is closed over <paramref name="typeArguments"/>.
    /// </summary>
    public static TModule Create<TModule>(Assembly engine, PlannedLayer layer, params Type[] typeArguments)
    {
        var module = Find(engine, layer.Spec.GetType())
            ?? throw new InvalidOperationException($"{layer.Path}: this engine has no module for {LayerType.Name(layer.Spec)} layers");
        if (module.IsGenericTypeDefinition) module = module.MakeGenericType(typeArguments);
        return (TModule)Activator.CreateInstance(module, layer)!;
    }
}
