using System.Globalization;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Core.Results;

/// <summary>
/// What a run was trained with, read back from its spec.resolved.yaml (every default filled in): each setting by
/// its spec path (<c>training.optimizer.learning_rate</c> → <c>0.0005</c>, <c>model[1].layer.dropout</c> → <c>0.6</c>),
/// and the few that every comparison shows whatever varied. A folder without a resolved spec has no settings.
/// </summary>
public sealed record RunSettings(IReadOnlyDictionary<string, string> ByPath)
{
    public static readonly RunSettings None = new(new Dictionary<string, string>());

    /// <summary>Paths that name or describe a run rather than say what it computes.</summary>
    public static readonly IReadOnlySet<string> Descriptive = new HashSet<string>(StringComparer.Ordinal) { "name", "description" };

    public string? this[string path] => ByPath.GetValueOrDefault(path);

    public string? Optimizer => this["training.optimizer.type"];
    public string? LearningRate => this["training.optimizer.learning_rate"];
    public string? MaxEpochs => this["training.epochs"];

    /// <summary>The recurrent layers' units in model order ("64/32" for a stack), a bidirectional layer's inner layer's.</summary>
    public string? Units => RecurrentUnitPaths().Select(p => ByPath[p]).ToList() is { Count: > 0 } units ? string.Join('/', units) : null;

    /// <summary>The paths holding recurrent layers' units (shown together in <see cref="Units"/>).</summary>
    public IEnumerable<string> RecurrentUnitPaths()
    {
        for (var i = 0; ByPath.ContainsKey($"model[{i}].type"); i++)
        {
            var layer = ByPath[$"model[{i}].type"] == Layers.NameOf(typeof(BidirectionalLayerSpec)) ? $"model[{i}].layer" : $"model[{i}]";
            if (RecurrentTypes.Contains(ByPath.GetValueOrDefault($"{layer}.type") ?? "") && ByPath.ContainsKey($"{layer}.units"))
                yield return $"{layer}.units";
        }
    }

    private static readonly SpecUnion Layers = SpecSchema.UnionOf(typeof(LayerSpec));
    private static readonly HashSet<string> RecurrentTypes = Layers.VariantsAssignableTo(typeof(RecurrentLayerSpec)).Select(v => v.Key).ToHashSet();

    /// <summary>The settings of the run in <paramref name="runFolder"/>; <see cref="None"/> when it has no readable resolved spec.</summary>
    public static RunSettings Read(string runFolder)
    {
        var path = RunFolder.At(runFolder).SpecResolved;
        if (!File.Exists(path)) return None;
        try
        {
            var flat = new Dictionary<string, string>(StringComparer.Ordinal);
            Flatten(YamlTreeReader.ReadFile(path), "", flat);
            return new RunSettings(flat);
        }
        catch (SpecException)
        {
            return None; // a damaged resolved spec only costs the settings columns, never the comparison
        }
    }

    /// <summary>Mappings become dotted paths, lists indexed paths; a list of plain values is one setting ("[accuracy, mae]").</summary>
    private static void Flatten(SpecNode node, string path, Dictionary<string, string> into)
    {
        switch (node)
        {
            case ScalarNode scalar:
                into[path] = scalar.IsNull ? "null" : scalar.Value;
                break;
            case MappingNode mapping:
                foreach (var entry in mapping.Entries)
                    Flatten(entry.Value, path.Length == 0 ? entry.Key.Value : $"{path}.{entry.Key.Value}", into);
                break;
            case SequenceNode list when list.Items.All(i => i is ScalarNode):
                into[path] = "[" + string.Join(", ", list.Items.Cast<ScalarNode>().Select(s => s.Value)) + "]";
                break;
            case SequenceNode list:
                for (var i = 0; i < list.Items.Count; i++)
                    Flatten(list.Items[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), into);
                break;
        }
    }
}
