using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace RnnRunner.Core.Specs.Schema;

/// <summary>What kind of YAML value a property holds.</summary>
public enum ValueKind { Integer, Number, Boolean, String, Enum, Record, Union, List, Map, Yaml }

/// <summary>
/// The shape of one spec value type, read once by reflection from the typed spec records. The binder, the
/// resolved-spec writer and the JSON Schema generator all walk this one description, so they cannot disagree.
/// </summary>
public sealed class SpecValueType
{
    public required Type ClrType { get; init; }
    public required ValueKind Kind { get; init; }
    public bool Nullable { get; init; }
    /// <summary>For <see cref="ValueKind.List"/> and <see cref="ValueKind.Map"/>: the element (value) type.</summary>
    public SpecValueType? Element { get; init; }
    /// <summary>For <see cref="ValueKind.Enum"/>: the other spellings read as a value (<see cref="SpecAliasAttribute"/>).</summary>
    public IReadOnlyList<EnumAlias> EnumAliases { get; init; } = [];

    /// <summary>For <see cref="ValueKind.Enum"/>: YAML name → enum value.</summary>
    public IReadOnlyDictionary<string, object>? EnumValues { get; init; }

    public string Describe() => Kind switch
    {
        ValueKind.Integer => "an integer",
        ValueKind.Number => "a number",
        ValueKind.Boolean => "true or false",
        ValueKind.String => "a string",
        ValueKind.Enum => "one of: " + string.Join(", ", EnumValues!.Keys),
        ValueKind.List => "a list",
        ValueKind.Map => "a mapping",
        ValueKind.Yaml => "any YAML value",
        ValueKind.Union => $"a mapping with '{SpecSchema.UnionOf(ClrType).Discriminator}'",
        _ => "a mapping",
    };
}

public sealed class SpecProperty
{
    public required string Key { get; init; }
    public required PropertyInfo Info { get; init; }
    public required SpecValueType Type { get; init; }
    public required bool Required { get; init; }
    public SpecRangeAttribute? Range { get; init; }
    public string? Doc { get; init; }

    /// <summary>Set when the value may be written <c>auto</c> (<see cref="SpecAutoAttribute"/>).</summary>
    public SpecAutoAttribute? Auto { get; init; }
}

public sealed class SpecRecord
{
    public required Type ClrType { get; init; }
    public required IReadOnlyList<SpecProperty> Properties { get; init; }
    public string? Doc { get; init; }
    public SpecProperty? Find(string key) => Properties.FirstOrDefault(p => p.Key == key);
}

/// <summary>Another spelling of an enum value; <see cref="Warning"/> set for an old spelling still read.</summary>
public sealed record EnumAlias(string Spelling, object Value, string? Warning);

public sealed class SpecUnion
{
    public required Type BaseType { get; init; }
    public required string Discriminator { get; init; }
    /// <summary>YAML name → concrete record type, in declaration order.</summary>
    public required IReadOnlyList<KeyValuePair<string, Type>> Variants { get; init; }

    /// <summary>The variants usable where <paramref name="wanted"/> is expected (e.g. only recurrent layers).</summary>
    public IEnumerable<KeyValuePair<string, Type>> VariantsAssignableTo(Type wanted) =>
        Variants.Where(v => wanted.IsAssignableFrom(v.Value));

    public string NameOf(Type concrete) => Variants.First(v => v.Value == concrete).Key;

    /// <summary>Every spelling a variant is accepted by: its name, and Keras' class name when it has one.</summary>
    public IReadOnlyList<string> SpellingsOf(KeyValuePair<string, Type> variant) =>
        variant.Value.GetCustomAttribute<SpecNameAttribute>(inherit: false)?.Keras is { } keras && keras != variant.Key
            ? [variant.Key, keras]
            : [variant.Key];

    /// <summary>
    /// The variant <paramref name="given"/> names among <paramref name="candidates"/>: its name or Keras' class name,
    /// spelt exactly (as the schema lists them); null when it names none.
    /// </summary>
    public KeyValuePair<string, Type>? Resolve(string given, IEnumerable<KeyValuePair<string, Type>> candidates) =>
        candidates.Where(v => SpellingsOf(v).Contains(given)).Cast<KeyValuePair<string, Type>?>().FirstOrDefault();

    /// <summary>Whether a variant can be written as its bare name (<c>optimizer: adam</c>): it has no required setting.</summary>
    public static bool TakesBareName(Type concrete) => SpecSchema.RecordOf(concrete).Properties.All(p => !p.Required);
}

public static class SpecSchema
{
    private static readonly ConcurrentDictionary<Type, SpecRecord> Records = new();
    private static readonly ConcurrentDictionary<Type, SpecUnion> Unions = new();

    public static SpecRecord RecordOf(Type type) => Records.GetOrAdd(type, BuildRecord);

    public static SpecUnion UnionOf(Type type)
    {
        var root = type;
        while (root.GetCustomAttribute<SpecUnionAttribute>(inherit: false) is null)
            root = root.BaseType ?? throw new InvalidOperationException($"{type.Name} is not part of a spec union");
        return Unions.GetOrAdd(root, BuildUnion);
    }

    public static bool IsUnion(Type type) =>
        type.IsAbstract && type.GetCustomAttributes<SpecUnionAttribute>(inherit: true).Any()
        || FindUnionRoot(type) is { } root && root != type && type.IsAbstract;

    private static Type? FindUnionRoot(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
            if (t.GetCustomAttribute<SpecUnionAttribute>(inherit: false) is not null) return t;
        return null;
    }

    public static SpecValueType ValueTypeOf(Type type, NullabilityInfo? nullability = null)
    {
        var underlying = System.Nullable.GetUnderlyingType(type);
        var nullable = underlying is not null || nullability?.ReadState == NullabilityState.Nullable;
        var t = underlying ?? type;

        if (t == typeof(int) || t == typeof(long)) return new() { ClrType = t, Kind = ValueKind.Integer, Nullable = nullable };
        if (t == typeof(double) || t == typeof(float)) return new() { ClrType = t, Kind = ValueKind.Number, Nullable = nullable };
        if (t == typeof(bool)) return new() { ClrType = t, Kind = ValueKind.Boolean, Nullable = nullable };
        if (t == typeof(string)) return new() { ClrType = t, Kind = ValueKind.String, Nullable = nullable };
        if (t.IsEnum)
            return new()
            {
                ClrType = t, Kind = ValueKind.Enum, Nullable = nullable,
                EnumValues = Enum.GetValues(t).Cast<object>().ToDictionary(v => EnumName(v), v => v),
                EnumAliases = [.. Enum.GetValues(t).Cast<object>().SelectMany(v => t.GetField(v.ToString()!)!.GetCustomAttributes<SpecAliasAttribute>()
                    .Select(a => new EnumAlias(a.Spelling, v, a.Warning)))],
            };
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var elementNullability = nullability?.GenericTypeArguments.FirstOrDefault();
            return new()
            {
                ClrType = t, Kind = ValueKind.List, Nullable = nullable,
                Element = ValueTypeOf(t.GetGenericArguments()[0], elementNullability),
            };
        }
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) && t.GetGenericArguments()[0] == typeof(string))
            return new()
            {
                ClrType = t, Kind = ValueKind.Map, Nullable = nullable,
                Element = ValueTypeOf(t.GetGenericArguments()[1], nullability?.GenericTypeArguments.ElementAtOrDefault(1)),
            };
        if (typeof(Yaml.SpecNode).IsAssignableFrom(t)) return new() { ClrType = t, Kind = ValueKind.Yaml, Nullable = true };
        if (FindUnionRoot(t) is not null && t.IsAbstract) return new() { ClrType = t, Kind = ValueKind.Union, Nullable = nullable };
        if (t.IsClass) return new() { ClrType = t, Kind = ValueKind.Record, Nullable = nullable };
        throw new InvalidOperationException($"Spec property type {t.Name} is not supported");
    }

    /// <summary>
    /// Every key path below <paramref name="record"/>'s own keys, nearest first (e.g. <c>optimizer.learning_rate</c>
    /// under training), through nested records and every variant of a union, up to <paramref name="depth"/> levels.
    /// </summary>
    public static IEnumerable<string> NestedKeyPaths(SpecRecord record, int depth = 3)
    {
        var level = new List<(string Prefix, SpecRecord Record)> { ("", record) };
        for (var d = 0; d < depth && level.Count > 0; d++)
        {
            var next = new List<(string, SpecRecord)>();
            foreach (var (prefix, current) in level)
                foreach (var property in current.Properties)
                {
                    var path = prefix.Length == 0 ? property.Key : $"{prefix}.{property.Key}";
                    if (d > 0) yield return path;
                    foreach (var type in RecordTypes(property.Type)) next.Add((path, RecordOf(type)));
                }
            level = next;
        }
    }

    private static IEnumerable<Type> RecordTypes(SpecValueType type) => type.Kind switch
    {
        ValueKind.Record => [type.ClrType],
        ValueKind.Union => UnionOf(type.ClrType).Variants.Select(v => v.Value),
        _ => [],
    };

    /// <summary>The YAML name of an enum value: snake_case of its C# name.</summary>
    public static string EnumName(object value) => Naming.ToSnakeCase(value.ToString()!);

    private static SpecRecord BuildRecord(Type type)
    {
        var context = new NullabilityInfoContext();
        // Base-class properties first, so YAML and schemas list 'units' before a subclass's 'activation'.
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .OrderBy(p => InheritanceDepth(p.DeclaringType!))
            .ThenBy(p => p.MetadataToken)
            .Select(p => new SpecProperty
            {
                Key = p.GetCustomAttribute<SpecKeyAttribute>()?.Key ?? Naming.ToSnakeCase(p.Name),
                Info = p,
                Type = ValueTypeOf(p.PropertyType, context.Create(p)),
                Required = p.GetCustomAttribute<RequiredMemberAttribute>() is not null,
                Range = p.GetCustomAttribute<SpecRangeAttribute>(),
                Auto = p.GetCustomAttribute<SpecAutoAttribute>(),
                Doc = p.GetCustomAttribute<DocAttribute>()?.Text,
            })
            .ToList();
        return new SpecRecord { ClrType = type, Properties = properties, Doc = type.GetCustomAttribute<DocAttribute>()?.Text };
    }

    private static int InheritanceDepth(Type t)
    {
        var depth = 0;
        for (var b = t.BaseType; b is not null; b = b.BaseType) depth++;
        return depth;
    }

    /// <summary>The records that derive from the root and name themselves with [SpecName], in declaration order.</summary>
    private static SpecUnion BuildUnion(Type root)
    {
        var named = root.Assembly.GetTypes()
            .Where(t => !t.IsAbstract && root.IsAssignableFrom(t))
            .OrderBy(t => t.MetadataToken)
            .Select(t => (Type: t, Name: t.GetCustomAttribute<SpecNameAttribute>(inherit: false)?.Name))
            .Where(t => t.Name is not null)
            .Select(t => new KeyValuePair<string, Type>(t.Name!, t.Type));
        return new SpecUnion
        {
            BaseType = root,
            Discriminator = root.GetCustomAttribute<SpecUnionAttribute>(inherit: false)!.Discriminator,
            Variants = [.. named],
        };
    }
}
