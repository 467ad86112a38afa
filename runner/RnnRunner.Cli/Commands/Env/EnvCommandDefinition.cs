using System.CommandLine;

namespace RnnRunner.Cli.Commands.Env;

public static class EnvCommandDefinition
{
    public static Command Create()
    {
        var markdown = new Option<bool>("--markdown") { Description = "Print the switches' documentation (docs/ENVIRONMENT.md) instead of their values." };
        var command = new Command("env", "Show every environment switch RnnRunner reads or relies on, and its value here.\n\n"
            + "Examples:\n  rnnrunner env\n  rnnrunner env --json\n  rnnrunner env --markdown > docs/ENVIRONMENT.md")
        {
            markdown,
        };
        command.SetAction(parse => EnvCommand.Execute(parse.GetValue(markdown), parse.GetValue(SharedOptions.Json), parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }
}
