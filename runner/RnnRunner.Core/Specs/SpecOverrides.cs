using System.Text.RegularExpressions;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Core.Specs;

/// <summary>
/// Applies command-line overrides such as <c>training.epochs=3</c> or <c>model[1].units=64</c> to the YAML tree
/// before binding, so an overridden value is checked exactly like one written in the file.
/// </summary>
public static partial class SpecOverrides
{
    [GeneratedRegex(@"^(?<key>[A-Za-z_][A-Za-z0-9_]*)(?:\[(?<index>\d+)\])*$")]
    private static partial Regex Segment();

    public static SpecNode Apply(SpecNode root, IEnumerable<string> assignments)
    {
        foreach (var assignment in assignments) root = ApplyOne(root, assignment);
        return root;
    }

    private static SpecNode ApplyOne(SpecNode root, string assignment)
    {
        var source = $"--set {assignment}";
        var equals = assignment.IndexOf('=');
        if (equals <= 0)
            throw SpecException.At(new SourceMark(source, 0, 0), "expected PATH=VALUE, e.g. training.epochs=3");
        var path = assignment[..equals].Trim();
        var valueText = assignment[(equals + 1)..];
        // null/~ switch a section off (e.g. training.early_stopping=null); anything else is parsed as YAML.
        var value = valueText.Trim() is "null" or "~"
            ? new ScalarNode("null", IsPlain: true, new SourceMark(source, 0, 0))
            : Relocate(YamlTreeReader.ReadText(valueText.Length == 0 ? "''" : valueText, source), source);
        return Set(root, path, value, new SourceMark(source, 0, 0));
    }

    /// <summary>Sets <paramref name="path"/> (e.g. <c>model[1].units</c>) to an already-parsed value.</summary>
    /// <param name="at">Where the override is written (a --set option, a grid file's axis): errors about the path point there.</param>
    public static SpecNode Set(SpecNode root, string path, SpecNode value, SourceMark at)
    {
        var steps = new List<object>();
        foreach (var part in path.Split('.'))
        {
            var match = Segment().Match(part);
            if (!match.Success)
                throw SpecException.At(at, $"'{path}' is not a spec path (expected e.g. model[1].units)");
            steps.Add(match.Groups["key"].Value);
            foreach (Capture index in match.Groups["index"].Captures)
            {
                if (!int.TryParse(index.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position))
                    throw SpecException.At(at, $"cannot set '{path}': [{index.Value}] is not a list position a spec can have");
                steps.Add(position);
            }
        }
        return Replace(root, steps, 0, value, at, path);
    }

    private static SpecNode Replace(SpecNode node, List<object> steps, int at, SpecNode value, SourceMark mark, string path)
    {
        if (at == steps.Count) return value;
        switch (steps[at])
        {
            case string key:
                var mapping = node switch
                {
                    MappingNode m => m,
                    ScalarNode { IsNull: true } => new MappingNode([], node.Mark),
                    _ => throw SpecException.At(mark, $"cannot set '{path}': '{key}' is inside something that is not a mapping"),
                };
                var entries = mapping.Entries.ToList();
                var index = entries.FindIndex(e => e.Key.Value == key);
                var child = index >= 0 ? entries[index].Value : new ScalarNode("", true, mark);
                var replaced = new MappingEntry(index >= 0 ? entries[index].Key : new ScalarNode(key, true, mark),
                    Replace(child, steps, at + 1, value, mark, path));
                if (index >= 0) entries[index] = replaced; else entries.Add(replaced);
                return mapping with { Entries = entries };
            case int position:
                if (node is not SequenceNode sequence)
                    throw SpecException.At(mark, $"cannot set '{path}': [{position}] indexes something that is not a list");
                if (position > sequence.Items.Count)
                    throw SpecException.At(mark,
                        $"cannot set '{path}': the list has {sequence.Items.Count} items (indexes start at 0; [{sequence.Items.Count}] appends)");
                var items = sequence.Items.ToList();
                if (position == items.Count) items.Add(new ScalarNode("", true, mark)); // appending, e.g. a new layer
                items[position] = Replace(items[position], steps, at + 1, value, mark, path);
                return sequence with { Items = items };
            default:
                throw new InvalidOperationException();
        }
    }

    /// <summary>Marks an override's nodes with the override itself, so errors point at the command line.</summary>
    private static SpecNode Relocate(SpecNode node, string source)
    {
        var mark = new SourceMark(source, 0, 0);
        return node switch
        {
            ScalarNode s => s with { Mark = mark },
            SequenceNode s => new SequenceNode(s.Items.Select(i => Relocate(i, source)).ToList(), mark),
            MappingNode m => new MappingNode(m.Entries.Select(e => new MappingEntry(e.Key with { Mark = mark }, Relocate(e.Value, source))).ToList(), mark),
            _ => node,
        };
    }
}
