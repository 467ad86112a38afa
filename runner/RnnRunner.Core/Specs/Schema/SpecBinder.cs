using System.Collections;
using System.Globalization;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Core.Specs.Schema;

/// <summary>Where each spec path was written, so that checks made after binding can still name file:line:column.</summary>
public sealed class SpecSourceMap(SourceMark fileMark)
{
    private readonly Dictionary<string, SourceMark> _marks = new();

    public SourceMark File { get; } = fileMark;

    private readonly List<SpecError> _warnings = new();

    internal void Record(string path, SourceMark mark) => _marks[path] = mark;

    internal void Warn(SpecError warning) => _warnings.Add(warning);

    /// <summary>What the file says that is read but should be said otherwise (an old spelling), one line each.</summary>
    public IReadOnlyList<SpecError> Warnings => _warnings;

    /// <summary>The mark of <paramref name="path"/>, or of its nearest written ancestor (a default has no line).</summary>
    public SourceMark MarkOf(string path)
    {
        for (var p = path; p.Length > 0; p = Parent(p))
            if (_marks.TryGetValue(p, out var mark)) return mark;
        return File;
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? "" : path[..cut];
    }
}

/// <summary>
/// Binds a <see cref="SpecNode"/> tree to the typed spec records, strictly: unknown keys (with a suggestion),
/// wrong types, missing required values and out-of-range numbers are all collected, never silently defaulted.
/// </summary>
public sealed class SpecBinder
{
    private readonly List<SpecError> _errors = new();
    private readonly SpecSourceMap _map;

    private SpecBinder(SpecSourceMap map) => _map = map;

    public static (T Value, SpecSourceMap Map) Bind<T>(SpecNode root) where T : class
    {
        var map = new SpecSourceMap(new SourceMark(root.Mark.Source, 0, 0));
        var binder = new SpecBinder(map);
        var value = binder.BindValue(root, SpecSchema.ValueTypeOf(typeof(T)), "");
        if (binder._errors.Count > 0 || value is null) throw new SpecException(binder._errors);
        return ((T)value, map);
    }

    private void Error(SpecNode at, string path, string message) => _errors.Add(new SpecError(at.Mark, path, message));

    private object? BindValue(SpecNode node, SpecValueType type, string path, SpecRangeAttribute? range = null)
    {
        _map.Record(path, node.Mark);
        if (type.Kind == ValueKind.Yaml) return node; // kept as written (e.g. a grid axis value, applied later)
        if (node is ScalarNode { IsNull: true })
        {
            if (!type.Nullable) Error(node, path, $"expected {type.Describe()}, got null");
            return null;
        }
        return type.Kind switch
        {
            ValueKind.Integer => BindInteger(node, type, path, range),
            ValueKind.Number => BindNumber(node, path),
            ValueKind.Boolean => BindBoolean(node, path),
            ValueKind.String => BindString(node, path),
            ValueKind.Enum => BindEnum(node, type, path),
            ValueKind.List => BindList(node, type, path),
            ValueKind.Map => BindMap(node, type, path),
            ValueKind.Union => BindUnion(node, type.ClrType, path),
            _ => BindRecord(node, type.ClrType, path),
        };
    }

    private ScalarNode? ExpectScalar(SpecNode node, string path, string expected)
    {
        if (node is ScalarNode scalar) return scalar;
        Error(node, path, $"expected {expected}, got a {(node is MappingNode ? "mapping" : "list")}");
        return null;
    }

    private object? BindInteger(SpecNode node, SpecValueType type, string path, SpecRangeAttribute? range)
    {
        if (ExpectScalar(node, path, "an integer") is not { } s) return null;
        if (!s.IsPlain) { Error(node, path, $"expected an integer, got the string \"{s.Value}\" (remove the quotes)"); return null; }
        if (!long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            if (double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            {
                if (Math.Floor(d) != d) { Error(node, path, $"expected an integer, got {s.Value}"); return null; }
                if (Math.Abs(d) > long.MaxValue) { Error(node, path, $"{s.Value} is far too large"); return null; }
                value = (long)d;
            }
            else { Error(node, path, $"expected an integer, got '{s.Value}'"); return null; }
        }
        // The range first: it says what is allowed (and, for sizes, what a huge value would cost).
        if (range is not null && !range.Contains(value))
        {
            RangeError(node, path, range, value);
            return null;
        }
        if (type.ClrType == typeof(int) && value is > int.MaxValue or < int.MinValue)
        {
            Error(node, path, $"{value:N0} is too large for this setting (at most {int.MaxValue:N0})");
            return null;
        }
        return type.ClrType == typeof(int) ? (object)(int)value : value;
    }

    private object? BindNumber(SpecNode node, string path)
    {
        if (ExpectScalar(node, path, "a number") is not { } s) return null;
        if (!s.IsPlain) { Error(node, path, $"expected a number, got the string \"{s.Value}\" (remove the quotes)"); return null; }
        if (!double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Error(node, path, $"expected a finite number, got '{s.Value}'");
            return null;
        }
        return value;
    }

    private object? BindBoolean(SpecNode node, string path)
    {
        if (ExpectScalar(node, path, "true or false") is not { } s) return null;
        if (s.IsPlain && s.Value is "true" or "True" or "TRUE") return true;
        if (s.IsPlain && s.Value is "false" or "False" or "FALSE") return false;
        Error(node, path, $"expected true or false, got '{s.Value}'");
        return null;
    }

    private object? BindString(SpecNode node, string path) => ExpectScalar(node, path, "a string")?.Value;

    private object? BindEnum(SpecNode node, SpecValueType type, string path)
    {
        if (ExpectScalar(node, path, type.Describe()) is not { } s) return null;
        if (type.EnumValues!.TryGetValue(s.Value, out var value)) return value;
        if (type.EnumAliases.FirstOrDefault(a => a.Spelling == s.Value) is { } alias)
        {
            if (alias.Warning is { } warning) _map.Warn(new SpecError(node.Mark, path, $"'{s.Value}' {warning}"));
            return alias.Value;
        }
        var hint = Naming.DidYouMean(s.Value, [.. type.EnumValues.Keys, .. type.EnumAliases.Select(a => a.Spelling)]);
        Error(node, path, $"'{s.Value}' is not {type.Describe()}{hint}");
        return null;
    }

    private object? BindList(SpecNode node, SpecValueType type, string path)
    {
        if (node is not SequenceNode sequence) { Error(node, path, $"expected a list, got {Describe(node)}"); return null; }
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(type.Element!.ClrType))!;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var errorsBefore = _errors.Count;
            var item = BindValue(sequence.Items[i], type.Element, $"{path}[{i}]");
            // A bad item is already reported; leaving it out keeps value-type lists (enums) from receiving null.
            if (_errors.Count == errorsBefore && (item is not null || type.Element.Nullable)) list.Add(item);
        }
        return list;
    }

    private object? BindMap(SpecNode node, SpecValueType type, string path)
    {
        if (node is not MappingNode mapping) { Error(node, path, $"expected a mapping, got {Describe(node)}"); return null; }
        var map = (System.Collections.IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), type.Element!.ClrType))!;
        foreach (var entry in mapping.Entries)
        {
            var errorsBefore = _errors.Count;
            var value = BindValue(entry.Value, type.Element, $"{path}.{entry.Key.Value}");
            if (_errors.Count == errorsBefore) map[entry.Key.Value] = value;
        }
        return map;
    }

    private object? BindUnion(SpecNode node, Type wanted, string path)
    {
        var union = SpecSchema.UnionOf(wanted);
        var allowed = union.VariantsAssignableTo(wanted).ToList();
        var names = allowed.Select(v => v.Key).ToList();
        // A bare name stands for the variant with its defaults, as Keras' compile(optimizer="adam") does.
        if (node is ScalarNode bare && union.Resolve(bare.Value, allowed) is { } shorthand && SpecUnion.TakesBareName(shorthand.Value))
            node = new MappingNode([new MappingEntry(new ScalarNode(union.Discriminator, true, bare.Mark), bare)], bare.Mark);
        if (node is not MappingNode mapping)
        {
            Error(node, path, $"expected a mapping with '{union.Discriminator}: <{string.Join("|", names)}>', got {Describe(node)}");
            return null;
        }
        var tag = mapping.Find(union.Discriminator);
        if (tag is null)
        {
            Error(node, path, $"missing '{union.Discriminator}' (one of: {string.Join(", ", names)})");
            return null;
        }
        if (tag.Value is not ScalarNode { } name || union.Resolve(name.Value, allowed) is not { } chosen)
        {
            var given = (tag.Value as ScalarNode)?.Value ?? "";
            var hint = union.Resolve(given, union.Variants) is not null
                ? $" here ('{given}' cannot be used in this position)"
                : KerasHints.ForType(given) is { } keras ? $" ({keras})" : Naming.DidYouMean(given, names);
            Error(tag.Value, Join(path, union.Discriminator),
                $"'{given}' is not one of: {string.Join(", ", names)}{hint}");
            return null;
        }
        return BindRecord(mapping, chosen.Value, path, skipKey: union.Discriminator);
    }

    private object? BindRecord(SpecNode node, Type type, string path, string? skipKey = null)
    {
        if (node is not MappingNode mapping) { Error(node, path, $"expected a mapping, got {Describe(node)}"); return null; }
        var record = SpecSchema.RecordOf(type);
        var instance = Activator.CreateInstance(type)!;
        var ok = true;

        foreach (var entry in mapping.Entries)
        {
            if (entry.Key.Value == skipKey) continue;
            if (record.Find(entry.Key.Value) is null)
            {
                var known = record.Properties.Select(p => p.Key).ToList();
                var hint = KerasHints.ForKey(entry.Key.Value) is { } keras ? $" ({keras})" : Naming.DidYouMean(entry.Key.Value, known);
                if (hint.Length == 0 && SpecSchema.NestedKeyPaths(record).FirstOrDefault(p => p.EndsWith("." + entry.Key.Value, StringComparison.Ordinal)) is { } nested)
                    hint = $" (did you mean '{Join(path, nested)}'?)"; // e.g. training.learning_rate → training.optimizer.learning_rate
                Error(entry.Key, Join(path, entry.Key.Value), $"unknown key{hint}; allowed here: {string.Join(", ", known)}");
                ok = false;
            }
        }

        foreach (var property in record.Properties)
        {
            var propertyPath = Join(path, property.Key);
            var entry = mapping.Find(property.Key);
            if (entry is null)
            {
                if (property.Required)
                {
                    Error(mapping, propertyPath, $"missing required value ({property.Type.Describe()}){DocSuffix(property)}");
                    ok = false;
                }
                continue;
            }
            if (property.Auto is not null && entry.Value is ScalarNode { Value: SpecAutoAttribute.Word, IsPlain: true })
            {
                _map.Record(propertyPath, entry.Value.Mark);
                continue; // null: settled from the data at validation
            }
            if (property.Auto is not null && entry.Value is ScalarNode { IsNull: true })
            {
                Error(entry.Value, propertyPath, $"expected an integer or {SpecAutoAttribute.Word} ({property.Auto.Meaning}), got null");
                ok = false;
                continue;
            }
            var errorsBefore = _errors.Count;
            var value = BindValue(entry.Value, property.Type, propertyPath, property.Range);
            if (_errors.Count > errorsBefore) { ok = false; continue; }
            if (value is not null && property.Range is { } range && !range.Contains(Convert.ToDouble(value, CultureInfo.InvariantCulture)))
            {
                RangeError(entry.Value, propertyPath, range, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                ok = false;
                continue;
            }
            property.Info.SetValue(instance, value);
        }
        return ok ? instance : null;
    }

    private void RangeError(SpecNode node, string path, SpecRangeAttribute range, double value)
    {
        var hint = range.Explain(value) is { } why ? $" ({why})" : "";
        Error(node, path, $"{Format(value)} is out of range: must be {range.Describe()}{hint}");
    }

    private static string DocSuffix(SpecProperty p) => p.Doc is null ? "" : $": {p.Doc}";

    private static string Format(object value) => value switch
    {
        double d when Math.Abs(d) >= 1e6 && Math.Floor(d) == d => d.ToString("N0", CultureInfo.InvariantCulture),
        long l when Math.Abs(l) >= 1_000_000 => l.ToString("N0", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static string Describe(SpecNode node) => node switch
    {
        ScalarNode s => $"'{s.Value}'",
        SequenceNode => "a list",
        _ => "a mapping",
    };

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
