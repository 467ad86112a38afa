using System.CommandLine;

namespace RnnRunner.Cli.Commands.Status;

public static class StatusCommandDefinition
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "A grid's or study's results folder (results/<name>/<NNN>-<timestamp>)." };
        var command = new Command("status", "Show a grid's or study's trials by state: done, running (with the process that holds it), interrupted, "
            + "paused, pruned, failed, pending. Reads the folder only, so it works while jobs run, on any machine that sees the folder.\n\n"
            + "Examples:\n  rnnrunner status results/basics-compare-cells/001-20261202T120000Z\n  rnnrunner status results/search-rnn/001-20261202T133841Z --json")
        {
            folder,
        };
        command.SetAction(parse => StatusCommand.Execute(parse.GetValue(folder)!, parse.GetValue(SharedOptions.Json),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
