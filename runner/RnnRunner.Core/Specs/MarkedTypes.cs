using System.Reflection;

namespace RnnRunner.Core.Specs;

/// <summary>
/// The registries' one lookup: the types in an assembly that carry <typeparamref name="TMark"/>, by the key the mark
/// names (the spec record a data source reads, the sampler or pruner kind). Two types marked for one key throw here.
/// </summary>
public static class MarkedTypes
{
    public static IReadOnlyDictionary<TKey, Type> By<TMark, TKey>(Assembly assembly, Func<TMark, TKey> key)
        where TMark : Attribute where TKey : notnull =>
        assembly.GetTypes()
            .Select(type => (Type: type, Mark: type.GetCustomAttribute<TMark>()))
            .Where(x => x.Mark is not null)
            .ToDictionary(x => key(x.Mark!), x => x.Type);
}
