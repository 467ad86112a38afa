using System.CommandLine;

namespace RnnRunner.Cli.Commands.Resume;

public static class ResumeCommandDefinition
{
    public static Command Create()
    {
        var folder = new Argument<string>("run-folder") { Description = "An interrupted run, e.g. results/lstm/003-20261124T120000Z." };
        var command = new Command("resume", "Continue an interrupted run from its last completed epoch, in the same folder.\n"
            + "The result is the same as if the run had never stopped (on CPU, timings aside).\n\n"
            + "Example:\n  rnnrunner resume results/lstm/003-20261124T120000Z")
        {
            folder,
        };
        command.SetAction(parse => ResumeCommand.Execute(parse.GetValue(folder)!, parse.GetValue(SharedOptions.Json),
            new ConsoleStreams(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error), Composition.Of(parse)));
        return command;
    }
}
