using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Core.Specs;

/// <summary>The kinds of YAML file RnnRunner reads: an experiment spec, a grid of experiments over a base spec, or a search over one.</summary>
public enum SpecFileKind { Experiment, Grid, Study }

public static class SpecFiles
{
    /// <summary>
    /// A grid names its base spec (<c>base:</c>) and has no model of its own; a study is such a file with a
    /// <c>search:</c> section; everything else is read as a spec.
    /// </summary>
    public static SpecFileKind KindOf(SpecNode root) =>
        root is not MappingNode m || m.Find("base") is null || m.Find("model") is not null ? SpecFileKind.Experiment
        : m.Find("search") is not null ? SpecFileKind.Study : SpecFileKind.Grid;
}
