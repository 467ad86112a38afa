using System.CommandLine;

namespace RnnRunner.Cli.Commands.Compare;

public static class CompareCommandDefinition
{
    public static Command Create()
    {
        var folders = new Argument<string[]>("folder")
        {
            Description = "Run folders, grid folders, or results/<name>/ folders holding runs.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write (default: results/compare/<NNN>-<timestamp>/)." };
        var command = new Command("compare", "Compare finished runs: comparison.csv, comparison.md (seed groups as mean ± std) and charts.\n\n"
            + "Examples:\n  rnnrunner compare results/lstm results/gru\n  rnnrunner compare results/imdb-compare-cells/001-20261124T120000Z -o /tmp/cmp")
        {
            folders, output, Run.RunCommandDefinition.Results,
        };
        command.SetAction(parse => CompareCommand.Execute(parse.GetValue(folders)!, parse.GetValue(output),
            parse.GetValue(Run.RunCommandDefinition.Results)!, parse.GetValue(SharedOptions.Json),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
