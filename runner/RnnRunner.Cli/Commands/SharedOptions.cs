using System.CommandLine;

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
