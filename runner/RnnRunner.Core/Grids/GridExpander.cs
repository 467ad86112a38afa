using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using RnnRunner.Core.Data;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Core.Grids;

/// <summary>One override a trial applies to the base spec, with a short label for names and legends.</summary>
/// <param name="Where">Where the grid file sets it (an axis, a variant): errors about the path itself point there.</param>
public sealed record TrialSetting(string Path, SpecNode Value, string Label, SourceMark Where);

/// <summary>One experiment of a grid.</summary>
/// <param name="Name">Readable, derived from what differs from the base (e.g. <c>lstm_lr0.0005_seed2</c>).</param>
/// <param name="Identity">A hash of the fully resolved spec and its data's content: equal specs on equal data, equal identity.</param>
/// <param name="Group">The name without the seed: trials that differ only by seed form a group.</param>
public sealed record Trial(string Name, string Group, string Identity, IReadOnlyList<TrialSetting> Settings, LoadedSpec Spec);

public sealed record ExpandedGrid(GridSpec Spec, string SourcePath, IReadOnlyList<Trial> Trials)
{
    /// <summary>A hash of every trial's identity: the same grid file and base give the same grid identity.</summary>
    public string Identity => Hash(string.Join("\n", Trials.Select(t => t.Identity)));

    internal static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
}

/// <summary>Loads a grid file and expands it into validated trials; every trial's errors are reported before any runs.</summary>
public static partial class GridExpander
{
    [GeneratedRegex(@"[^A-Za-z0-9._-]+")]
    private static partial Regex Unsafe();

    public static ExpandedGrid LoadFile(string path) => LoadTree(YamlTreeReader.ReadFile(path), path);

    /// <summary>Expands a grid file already read (e.g. by validate, which reads specs and grids alike).</summary>
    public static ExpandedGrid LoadTree(SpecNode root, string path)
    {
        if (SpecFiles.KindOf(root) == SpecFileKind.Study)
            throw SpecException.At(new SourceMark(path, 0, 0), $"is a study file (it has 'search:'), not a grid file; run it with: rnnrunner search {path}");
        if (SpecFiles.KindOf(root) != SpecFileKind.Grid)
            throw SpecException.At(new SourceMark(path, 0, 0), $"is an experiment spec, not a grid file (a grid has 'base:'); run it with: rnnrunner run {path}");
        var (grid, map) = SpecBinder.Bind<GridSpec>(root);
        var basePath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, grid.Base));
        if (!File.Exists(basePath))
            throw new SpecException([new SpecError(map.MarkOf("base"), "base", $"{grid.Base}: no such spec file (relative to the grid file)")]);
        var document = YamlTreeReader.ReadDocument(basePath);
        return Expand(grid, path, document.Root, basePath, document.Text);
    }

    public static ExpandedGrid Expand(GridSpec grid, string source, SpecNode baseTree, string basePath, string baseText)
    {
        CheckOverlaps(grid, source);
        var combinations = new List<List<TrialSetting>> { new() };
        foreach (var (path, values) in grid.Axes)
        {
            if (values.Count == 0) throw SpecException.At(new SourceMark(source, 0, 0), $"axes.{path}: lists no values");
            combinations = combinations
                .SelectMany(c => values.Select(v => new List<TrialSetting>(c) { new(path, v, Label(path, v), values[0].Mark) }))
                .ToList();
        }
        if (grid.Variants.Count > 0)
            combinations = grid.Variants.SelectMany(v => combinations.Select(c =>
                v.Set.Select(s => new TrialSetting(s.Key, s.Value, v.Name, s.Value.Mark)).Concat(c).ToList())).ToList();

        var seeds = grid.Seeds.Count == 0 ? [(int?)null] : grid.Seeds.Select(s => (int?)s).ToList();
        var trials = new List<Trial>();
        var errors = new List<SpecError>();
        // Trials mostly share their data: each data section is fingerprinted once (a folder's is a walk of every file).
        var contents = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        foreach (var settings in combinations)
            foreach (var seed in seeds)
            {
                var all = seed is { } s
                    ? settings.Append(SeedSetting(s, source)).ToList()
                    : settings;
                var group = GroupName(settings);
                var name = seed is { } sd ? (group == "base" ? $"seed{sd}" : $"{group}_seed{sd}") : group;
                try
                {
                    var tree = baseTree;
                    foreach (var setting in all) tree = SpecOverrides.Set(tree, setting.Path, setting.Value, setting.Where);
                    tree = SpecOverrides.Set(tree, "name", new ScalarNode(name, false, new SourceMark(source, 0, 0)), new SourceMark(source, 0, 0));
                    var loaded = SpecLoader.LoadTree(tree, basePath, baseText, all.Select(a => $"{a.Path}={Flow(a.Value)}").ToList());
                    trials.Add(new Trial(name, group, ExpandedGrid.Hash(SpecWriter.ToYaml(loaded.Spec) + "\ndata content: " + contents.GetOrAdd(loaded.Spec.Data.ToString(), _ => DataContent(loaded.Spec.Data))), all, loaded));
                }
                catch (SpecException e)
                {
                    errors.AddRange(e.Errors);
                }
            }
        // A mistake in an axis shows in every trial that uses it: report each once, where the grid file makes it.
        if (errors.Count > 0) throw new SpecException(errors.Distinct().ToList());
        var duplicate = trials.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw SpecException.At(new SourceMark(source, 0, 0), $"two trials would both be named '{duplicate.Key}'; give the variants distinct names");
        return new ExpandedGrid(grid, source, trials);
    }

    /// <summary>
    /// Axes (and a variant's settings with the axes) that name one setting twice, or one inside another
    /// (<c>model[1]</c> and <c>model[1].units</c>), are refused: the later would silently overwrite the earlier, making
    /// trials that differ in name only.
    /// </summary>
    private static void CheckOverlaps(GridSpec grid, string source)
    {
        var axes = grid.Axes.Keys.ToList();
        var groups = grid.Variants.Count == 0 ? [axes] : grid.Variants.Select(v => axes.Concat(v.Set.Keys).ToList()).ToList();
        foreach (var paths in groups)
        {
            if (SpecPath.FirstOverlap(paths) is not var (outer, inner)) continue;
            var mark = grid.Axes.TryGetValue(inner, out var values) && values.Count > 0 ? values[0].Mark
                : grid.Axes.TryGetValue(outer, out var others) && others.Count > 0 ? others[0].Mark : new SourceMark(source, 0, 0);
            throw SpecException.At(mark, outer == inner
                ? $"{inner}: is set both by an axis and by a variant; set it in one place"
                : $"{inner}: lies inside {outer}, which is also varied; one would overwrite the other (vary {inner} alone, or give whole values of {outer})");
        }
    }

    /// <summary>The data's content fingerprint ("" for generated data; "unreadable: …" when the files cannot be read, which validation reports).</summary>
    private static string DataContent(DataSpec data)
    {
        try
        {
            return DataSources.For(data).ContentFingerprint(CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DatasetException)
        {
            return "unreadable: " + e.Message;
        }
    }

    private static TrialSetting SeedSetting(int seed, string source)
    {
        var text = seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new TrialSetting("seed", new ScalarNode(text, true, new SourceMark(source, 0, 0)), $"seed{text}", new SourceMark(source, 0, 0));
    }

    /// <summary>A node as one line of flow YAML, so a trial's settings read (and re-apply) as --set overrides.</summary>
    public static string Flow(SpecNode node) => node switch
    {
        ScalarNode { IsPlain: true } s => s.Value,
        ScalarNode s => $"'{s.Value.Replace("'", "''")}'",
        SequenceNode q => $"[{string.Join(", ", q.Items.Select(Flow))}]",
        MappingNode m => $"{{{string.Join(", ", m.Entries.Select(e => $"{e.Key.Value}: {Flow(e.Value)}"))}}}",
        _ => "",
    };

    private static string GroupName(IReadOnlyList<TrialSetting> settings) =>
        settings.Count == 0 ? "base" : Unsafe().Replace(string.Join("_", settings.Select(s => s.Label).Distinct()), "-");

    /// <summary>A short label: a swapped layer is named by its type and units, an engine or device by itself, a value by its key and value.</summary>
    private static string Label(string path, SpecNode value)
    {
        var key = path[(path.LastIndexOf('.') + 1)..];
        if (value is MappingNode { } wrapper && wrapper.Find("layer")?.Value is MappingNode inner)
            return "bi" + Label(path, inner);
        if (value is MappingNode m)
        {
            var type = (m.Find("type")?.Value as ScalarNode)?.Value ?? key;
            var units = (m.Find("units")?.Value as ScalarNode)?.Value;
            return units is null ? type : $"{type}{units}";
        }
        var text = value is ScalarNode s ? s.Value : "list";
        return key switch
        {
            "learning_rate" => $"lr{text}",
            "units" => $"u{text}",
            "engine" or "device" => text, // torch, scratch, cpu, cuda: names that say what they are
            _ => $"{key}{text}",
        };
    }
}
