using System.CommandLine;

namespace RnnRunner.Cli.Commands.Runs;

public static class RunsCommandDefinition
{
    public static Command Create()
    {
        var folder = new Argument<string?>("results-folder") { Description = "Where to look (default: results/).", Arity = ArgumentArity.ZeroOrOne };
        var filter = new Option<string?>("--filter") { Description = "Keep runs matching every key=value: name (a part of the name or folder), status, engine. E.g. name=lstm,status=completed." };
        var sort = new Option<string?>("--sort") { Description = "Sort by a logged value, best first (val_accuracy, test_mae…); default: newest first." };
        var command = new Command("runs", "List every run and grid trial under a results folder: name, status, engine, epochs, best monitored value, test metric, s/epoch, started. results/index.html is the same list in a browser.\n\n"
            + "Examples:\n  rnnrunner runs\n  rnnrunner runs --filter name=imdb,status=completed --sort val_accuracy\n  rnnrunner runs results --json")
        {
            folder, filter, sort, RunsDiffCommandDefinition.Create(),
        };
        command.SetAction(parse => RunsCommand.Execute(parse.GetValue(folder), parse.GetValue(filter), parse.GetValue(sort),
            parse.GetValue(SharedOptions.Json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
