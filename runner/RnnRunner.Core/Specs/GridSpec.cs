using RnnRunner.Core.Specs.Schema;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Core.Specs;

/// <summary>
/// A batch of experiments: a base spec and what varies. Trials are the cartesian product of the axes, crossed
/// with the explicit variants and with the seeds.
/// </summary>
[Doc("An RnnRunner grid: a base spec and its variations, run by `rnnrunner grid`.")]
public sealed record GridSpec
{
    [Doc("Grid name; results go to results/<name>/<NNN>-<timestamp>/trials/.")]
    public required string Name { get; init; }

    [Doc("What the grid compares, in a sentence or two (shown in its comparison report).")]
    public string Description { get; init; } = "";

    [Doc("The base spec, relative to this grid file.")]
    public required string Base { get; init; }

    [Doc("Spec path → the values to try (e.g. model[1]: [{type: lstm, units: 32}, {type: gru, units: 32}]); every combination runs.")]
    public IReadOnlyDictionary<string, IReadOnlyList<SpecNode>> Axes { get; init; } = new Dictionary<string, IReadOnlyList<SpecNode>>();

    [Doc("Explicit variants, each a named set of overrides, crossed with the axes.")]
    public IReadOnlyList<GridVariant> Variants { get; init; } = [];

    [Doc("Repeat every trial with each of these seeds (results are aggregated as mean ± std).")]
    public IReadOnlyList<int> Seeds { get; init; } = [];
}

public sealed record GridVariant
{
    [Doc("Short name used in trial names.")]
    public required string Name { get; init; }

    [Doc("Spec path → value.")]
    public required IReadOnlyDictionary<string, SpecNode> Set { get; init; }
}
