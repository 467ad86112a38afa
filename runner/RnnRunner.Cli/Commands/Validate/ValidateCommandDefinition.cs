using System.CommandLine;

namespace RnnRunner.Cli.Commands.Validate;

public static class ValidateCommandDefinition
{
    public static Command Create()
    {
        var specs = SharedOptions.Specs("Spec files to check.");
        var set = SharedOptions.Set();
        var command = new Command("validate", "Check specs without running them: every error, with file:line:column.\n\n"
            + "Examples:\n  rnnrunner validate experiments/basics/*.yaml\n  rnnrunner validate my.yaml --set model[1].units=0")
        {
            specs, set,
        };
        command.SetAction(parse => ValidateCommand.Execute(parse.GetValue(specs)!, parse.GetValue(set)!, parse.GetValue(SharedOptions.Json),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
