using System.CommandLine;
using RnnRunner.Core.Specs;

namespace RnnRunner.Cli.Commands;

/// <summary>Options several commands share, created once so they are spelled and described the same everywhere.</summary>
public static class SharedOptions
{
    public static readonly Option<bool> Quiet = new("--quiet", "-q")
    {
        Description = "Print only warnings, errors and the results folder.",
        Recursive = true,
    };

    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Print debug detail as well.",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Write machine-readable JSON to stdout (logs stay on stderr).",
        Recursive = true,
    };

    public static readonly Option<int?> Threads = new("--threads")
    {
        Description = "CPU threads for either engine (default: all cores). Grids with --jobs divide the cores among their jobs.",
        Recursive = true,
    };

    /// <summary>trace's and explain's --engine: which engine computes what they show.</summary>
    public static Option<EngineKind?> InspectionEngine() => new("--engine")
    {
        Description = "The engine that computes every number shown: scratch (default, whichever engine trained the run: the numbers are the same) or torch.",
        CustomParser = result => result.Tokens[0].Value.ToLowerInvariant() switch
        {
            "scratch" => EngineKind.Scratch,
            "torch" => EngineKind.Torch,
            var other => Refuse(result, other),
        },
    };

    private static EngineKind? Refuse(System.CommandLine.Parsing.ArgumentResult result, string value)
    {
        result.AddError($"--engine {value}: choose scratch or torch");
        return null;
    }

    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a spec value before validation, e.g. --set training.epochs=3 --set model[1].units=64.",
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    public static Argument<string[]> Specs(string description) => new("spec")
    {
        Description = description,
        Arity = ArgumentArity.OneOrMore,
    };
}
