using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Core.Specs;

/// <summary>The two kinds of YAML file RnnRunner reads: an experiment spec, or a grid of experiments over a base spec.</summary>
public enum SpecFileKind { Experiment, Grid }

public static class SpecFiles
{
    /// <summary>A grid names its base spec (<c>base:</c>) and has no model of its own; everything else is read as a spec.</summary>
    public static SpecFileKind KindOf(SpecNode root) =>
        root is MappingNode m && m.Find("base") is not null && m.Find("model") is null ? SpecFileKind.Grid : SpecFileKind.Experiment;
}
