using System.Collections;
using System.Globalization;
using RnnRunner.Core.Specs.Schema;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace RnnRunner.Core.Specs;

/// <summary>
/// Writes a spec back to YAML with every default filled in — the "resolved" spec saved beside each run, which
/// loads back to an equal spec.
/// </summary>
public static class SpecWriter
{
    public static string ToYaml(ExperimentSpec spec)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer, bestIndent: 2, bestWidth: 120);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        EmitRecord(emitter, spec, spec.GetType(), discriminator: null);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void EmitValue(IEmitter emitter, object? value, SpecValueType type)
    {
        if (value is null) { emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false)); return; }
        switch (type.Kind)
        {
            case ValueKind.Integer:
            case ValueKind.Number:
            case ValueKind.Boolean:
                emitter.Emit(Plain(FormatScalar(value)));
                break;
            case ValueKind.Enum:
                emitter.Emit(Plain(SpecSchema.EnumName(value)));
                break;
            case ValueKind.String:
                emitter.Emit(new Scalar(null, null, (string)value, ScalarStyle.Any, true, true));
                break;
            case ValueKind.List:
                emitter.Emit(new SequenceStart(null, null, false, SequenceStyle.Block));
                foreach (var item in (IEnumerable)value) EmitValue(emitter, item, type.Element!);
                emitter.Emit(new SequenceEnd());
                break;
            case ValueKind.Union:
                var union = SpecSchema.UnionOf(type.ClrType);
                EmitRecord(emitter, value, value.GetType(), (union.Discriminator, union.NameOf(value.GetType())));
                break;
            default:
                EmitRecord(emitter, value, value.GetType(), null);
                break;
        }
    }

    private static void EmitRecord(IEmitter emitter, object value, Type type, (string Key, string Name)? discriminator)
    {
        emitter.Emit(new MappingStart(null, null, false, MappingStyle.Block));
        if (discriminator is { } d)
        {
            emitter.Emit(Plain(d.Key));
            emitter.Emit(Plain(d.Name));
        }
        foreach (var property in SpecSchema.RecordOf(type).Properties)
        {
            emitter.Emit(Plain(property.Key));
            EmitValue(emitter, property.Info.GetValue(value), property.Type);
        }
        emitter.Emit(new MappingEnd());
    }

    private static Scalar Plain(string text) => new(null, null, text, ScalarStyle.Plain, true, false);

    private static string FormatScalar(object value) => value switch
    {
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };
}
