using System.Globalization;
using System.Text.Json;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Search.Pruners;
using RnnRunner.Core.Search.Samplers;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Core.Search;

/// <summary>
/// A study file loaded and checked: its search space, objective and rungs, with the base spec it varies. Every
/// parameter path is tried on the base before anything runs (its low end, its first choice), so a misspelt path is
/// an error of the study file, not a stream of refused samples.
/// </summary>
public sealed record LoadedStudy(StudySpec Spec, string SourcePath, SpecDocument Base, IReadOnlyList<SearchParameter> Space,
    Objective Objective, int MaxEpochs, SpecSourceMap Map)
{
    /// <summary>Every objective, <see cref="Objective"/> first (the one trials report each epoch, pruners and reports rank by).</summary>
    public IReadOnlyList<Objective> Objectives { get; init; } = [Objective];

    /// <summary>The sampler the study names, else its default: TPE for one objective, NSGA-II for several.</summary>
    public SamplerSpec SamplerSpec => Spec.Search.Sampler ?? (Objectives.Count > 1 ? new Nsga2SamplerSpec() : new TpeSamplerSpec());

    /// <summary>
    /// The study's identity: everything that decides which trials it runs — the base spec's text and the search
    /// settings but the budget — so raising <c>trials</c> continues the same study, and any other change starts anew.
    /// </summary>
    public string Identity
    {
        get
        {
            var search = Spec.Search;
            var parameters = search.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
                $"{p.Key}:{p.Value.Type}:{p.Value.Low}:{p.Value.High}:{p.Value.Step}:{p.Value.Log}:{string.Join(",", p.Value.Values?.Select(Grids.GridExpander.Flow) ?? [])}");
            var fixedSettings = Spec.Set.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"set {p.Key}={Grids.GridExpander.Flow(p.Value)}");
            // Further objectives are added only where there are some, so a one-objective study keeps the identity it always had.
            var more = Objectives.Skip(1).Select(o => $"objective {o.Metric}:{o.Direction}");
            var text = string.Join("\n", [Base.Text, .. fixedSettings, .. parameters, SamplerIdentity(SamplerSpec), search.Seed.ToString(CultureInfo.InvariantCulture),
                Objective.Metric, Objective.Direction, PrunerIdentity(search.Pruner), .. more]);
            return Grids.ExpandedGrid.Hash(text);
        }
    }

    /// <summary>
    /// The pruner's part of the identity, spelt as the flat pruner record of studies begun before pruners were a union
    /// (type as a number, then every field), so that a study begun then continues rather than starting anew.
    /// </summary>
    private static string PrunerIdentity(PrunerSpec? pruner) => pruner switch
    {
        null => "null",
        AshaPrunerSpec a => FlatPruner(0, a.MinEpochs, a.ReductionFactor, new MedianPrunerSpec().WarmupEpochs, new MedianPrunerSpec().MinTrials),
        MedianPrunerSpec m => FlatPruner(1, new AshaPrunerSpec().MinEpochs, new AshaPrunerSpec().ReductionFactor, m.WarmupEpochs, m.MinTrials),
        _ => $"{SpecSchema.UnionOf(typeof(PrunerSpec)).NameOf(pruner.GetType())}:{JsonSerializer.Serialize(pruner, pruner.GetType())}",
    };

    /// <summary>
    /// The sampler's part of the identity: with its defaults, its name as studies begun before samplers were records
    /// spelt it (Tpe, Random, Halton); with settings, the settings too.
    /// </summary>
    private static string SamplerIdentity(SamplerSpec sampler)
    {
        var name = SpecSchema.UnionOf(typeof(SamplerSpec)).NameOf(sampler.GetType());
        var legacy = char.ToUpperInvariant(name[0]) + name[1..];
        return sampler.Equals(Activator.CreateInstance(sampler.GetType())) ? legacy : $"{legacy}:{JsonSerializer.Serialize(sampler, sampler.GetType())}";
    }

    private static string FlatPruner(int type, int minEpochs, int reductionFactor, int warmupEpochs, int minTrials) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"Type":{{type}},"MinEpochs":{{minEpochs}},"ReductionFactor":{{reductionFactor}},"WarmupEpochs":{{warmupEpochs}},"MinTrials":{{minTrials}}}""");

    public ISampler Sampler() => Samplers.Samplers.Create(SamplerSpec, Spec.Search.Seed);

    /// <summary>The study's pruner (none: every trial trains to the end).</summary>
    public IPruner Pruner => Pruners.Pruners.Create(Spec.Search.Pruner, MaxEpochs);

    /// <summary>ASHA's rungs, for the reports that draw them; null under another pruner or none.</summary>
    public AshaRungs? Rungs => Pruner as AshaRungs;

    /// <summary>The trial's name: its number, four digits (t0007), which also names its folder.</summary>
    public static string TrialName(int number) => string.Create(CultureInfo.InvariantCulture, $"t{number:D4}");

    /// <summary>The spec path → value as the trial sets it (a float to full precision, a choice's value as flow YAML).</summary>
    public IReadOnlyDictionary<string, string> Settings(ParameterPoint point) =>
        Space.Select((p, d) => (p.Path, Grids.GridExpander.Flow(Node(p.Distribution, point.Values[d]))))
            .ToDictionary(s => s.Path, s => s.Item2);

    /// <summary>
    /// The trial's spec: the base with the point's values set, validated like any spec. A point the spec refuses (a
    /// shape that does not fit, a value out of a layer's range) throws <see cref="SpecException"/>.
    /// </summary>
    public LoadedSpec TrialSpec(int number, ParameterPoint point)
    {
        var tree = Base.Root;
        var overrides = Spec.Set.Select(s => $"{s.Key}={Grids.GridExpander.Flow(s.Value)}").ToList();
        for (var d = 0; d < Space.Count; d++)
        {
            var node = Node(Space[d].Distribution, point.Values[d]);
            tree = SpecOverrides.Set(tree, Space[d].Path, node, Map.MarkOf($"search.parameters.{Space[d].Path}"));
            overrides.Add($"{Space[d].Path}={Grids.GridExpander.Flow(node)}");
        }
        var mark = new SourceMark(SourcePath, 0, 0);
        tree = SpecOverrides.Set(tree, "name", new ScalarNode(TrialName(number), false, mark), mark);
        return SpecLoader.LoadTree(tree, Base.Source, Base.Text, overrides);
    }

    /// <summary>A parameter's value as the spec node a trial sets.</summary>
    internal static SpecNode Node(Distribution distribution, double value)
    {
        var mark = new SourceMark("search", 0, 0);
        return distribution switch
        {
            ChoiceDistribution choice => choice.Values[(int)value],
            IntDistribution => new ScalarNode(((long)value).ToString(CultureInfo.InvariantCulture), true, mark),
            _ => new ScalarNode(value.ToString("R", CultureInfo.InvariantCulture), true, mark),
        };
    }
}
