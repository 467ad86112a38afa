using System.Text.Json;
using System.Text.Json.Nodes;

namespace RnnRunner.Core.Specs.Schema;

/// <summary>
/// Generates a JSON Schema (draft 2020-12) for experiment specs or grid files from the same reflection schema the binder uses,
/// so editor completion and checking can never drift from what the loader accepts. Cross-field checks (shapes,
/// losses) are beyond JSON Schema; `rnnrunner validate` does those.
/// </summary>
public static class JsonSchemaGenerator
{
    public const string SchemaId = "https://rnnrunner.dev/schema/experiment.schema.json";
    public const string GridSchemaId = "https://rnnrunner.dev/schema/grid.schema.json";
    public const string StudySchemaId = "https://rnnrunner.dev/schema/study.schema.json";

    /// <summary>The file name the committed schema of each kind has in experiments/ (what example files point at).</summary>
    public static string FileName(SpecFileKind kind) => kind switch
    {
        SpecFileKind.Grid => "grid.schema.json",
        SpecFileKind.Study => "study.schema.json",
        _ => "experiment.schema.json",
    };

    public static string Generate(SpecFileKind kind = SpecFileKind.Experiment)
    {
        var definitions = new JsonObject();
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = kind switch { SpecFileKind.Grid => GridSchemaId, SpecFileKind.Study => StudySchemaId, _ => SchemaId },
            ["title"] = kind switch { SpecFileKind.Grid => "RnnRunner grid file", SpecFileKind.Study => "RnnRunner study file", _ => "RnnRunner experiment spec" },
        };
        var type = kind switch { SpecFileKind.Grid => typeof(GridSpec), SpecFileKind.Study => typeof(StudySpec), _ => typeof(ExperimentSpec) };
        foreach (var (key, value) in RecordSchema(type, definitions, discriminator: null)) root[key] = value?.DeepClone();
        root["$defs"] = definitions;
        return root.ToJsonString(new JsonSerializerOptions(JsonSerializerOptions.Default) { WriteIndented = true }) + "\n";
    }

    private static JsonObject ValueSchema(SpecValueType type, object? defaultValue, SpecProperty? property, JsonObject definitions)
    {
        JsonObject schema = type.Kind switch
        {
            ValueKind.Integer => new JsonObject { ["type"] = "integer" },
            ValueKind.Number => new JsonObject { ["type"] = "number" },
            ValueKind.Boolean => new JsonObject { ["type"] = "boolean" },
            ValueKind.String => new JsonObject { ["type"] = "string" },
            ValueKind.Enum => new JsonObject
            {
                ["enum"] = new JsonArray([.. type.EnumValues!.Keys.Concat(type.EnumAliases.Where(a => a.Warning is null).Select(a => a.Spelling)).Select(k => (JsonNode)k)]),
            },
            ValueKind.List => new JsonObject
            {
                ["type"] = "array",
                ["items"] = ValueSchema(type.Element!, null, null, definitions),
            },
            ValueKind.Map => new JsonObject
            {
                ["type"] = "object",
                ["additionalProperties"] = ValueSchema(type.Element!, null, null, definitions),
            },
            ValueKind.Yaml => new JsonObject(),
            ValueKind.Union => Reference(type.ClrType, definitions),
            _ => Reference(type.ClrType, definitions),
        };
        if (property?.Range is { } range)
        {
            if (range.Min > double.MinValue) schema[range.MinExclusive ? "exclusiveMinimum" : "minimum"] = range.Min;
            if (range.Max < long.MaxValue / 2) schema[range.MaxExclusive ? "exclusiveMaximum" : "maximum"] = range.Max;
        }
        if (type.Kind == ValueKind.Integer && property?.Range is null && type.ClrType == typeof(int))
            (schema["minimum"], schema["maximum"]) = (int.MinValue, int.MaxValue);
        if (property?.Doc is { } doc) schema["description"] = doc;
        if (defaultValue is not null && type.Kind is not (ValueKind.Record or ValueKind.Union))
            schema["default"] = DefaultNode(defaultValue, type);
        if (property?.Auto is { } auto)
            schema = new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["const"] = SpecAutoAttribute.Word, ["description"] = auto.Meaning }) };
        else if (type.Nullable) schema = new JsonObject { ["anyOf"] = new JsonArray(schema, new JsonObject { ["type"] = "null" }) };
        return schema;
    }

    private static JsonNode? DefaultNode(object value, SpecValueType type) => type.Kind switch
    {
        ValueKind.Enum => SpecSchema.EnumName(value),
        ValueKind.List => new JsonArray(((System.Collections.IEnumerable)value).Cast<object>()
            .Select(v => DefaultNode(v, type.Element!)).ToArray()),
        _ => JsonValue.Create(value),
    };

    private static JsonObject Reference(Type type, JsonObject definitions)
    {
        var name = type.Name;
        if (!definitions.ContainsKey(name))
        {
            definitions[name] = null; // placeholder: stops recursion while the definition is built
            definitions[name] = SpecSchema.IsUnion(type) ? UnionSchema(type, definitions) : RecordSchema(type, definitions, null);
        }
        return new JsonObject { ["$ref"] = $"#/$defs/{name}" };
    }

    private static JsonObject UnionSchema(Type type, JsonObject definitions)
    {
        var union = SpecSchema.UnionOf(type);
        var variants = union.VariantsAssignableTo(type).ToList();
        JsonArray Spellings(IEnumerable<KeyValuePair<string, Type>> of) => new([.. of.SelectMany(union.SpellingsOf).Select(s => (JsonNode)s)]);
        var mapping = new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray(union.Discriminator),
            ["properties"] = new JsonObject { [union.Discriminator] = new JsonObject { ["enum"] = Spellings(variants) } },
            // One if/then per variant: editors then complete the keys of the chosen type.
            ["allOf"] = new JsonArray(variants.Select(v => (JsonNode)new JsonObject
            {
                ["if"] = new JsonObject { ["properties"] = new JsonObject { [union.Discriminator] = new JsonObject { ["enum"] = Spellings([v]) } } },
                ["then"] = RecordSchema(v.Value, definitions, (union.Discriminator, union.SpellingsOf(v))),
            }).ToArray()),
        };
        var bare = variants.Where(v => SpecUnion.TakesBareName(v.Value)).ToList();
        return bare.Count == 0 ? mapping
            : new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["enum"] = Spellings(bare) }, mapping) };
    }

    private static JsonObject RecordSchema(Type type, JsonObject definitions, (string Key, IReadOnlyList<string> Spellings)? discriminator)
    {
        var record = SpecSchema.RecordOf(type);
        var defaults = Activator.CreateInstance(type);
        var properties = new JsonObject();
        if (discriminator is { } d) properties[d.Key] = new JsonObject { ["enum"] = new JsonArray([.. d.Spellings.Select(s => (JsonNode)s)]) };
        foreach (var p in record.Properties)
            properties[p.Key] = ValueSchema(p.Type, p.Required ? null : p.Info.GetValue(defaults), p, definitions);
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = properties,
        };
        var required = record.Properties.Where(p => p.Required).Select(p => (JsonNode)p.Key).ToArray();
        if (required.Length > 0) schema["required"] = new JsonArray(required);
        if (record.Doc is { } doc) schema["description"] = doc;
        return schema;
    }
}
