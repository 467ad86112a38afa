using System.CommandLine;

namespace RnnRunner.Cli.Commands.Reference;

public static class ReferenceCommandDefinition
{
    public static Command Create()
    {
        var command = new Command("reference", "Print the reference of every command and option, as Markdown (docs/guide/cli.md is this output).\n\n"
            + "Examples:\n  rnnrunner reference\n  rnnrunner reference > docs/guide/cli.md");
        command.SetAction(parse => ReferenceCommand.Execute(parse.RootCommandResult.Command, parse.InvocationConfiguration.Output));
        return command;
    }
}
