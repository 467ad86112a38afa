using System.CommandLine;

namespace RnnRunner.Cli.Commands.Summary;

public static class SummaryCommandDefinition
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "The spec whose model to describe." };
        var set = SharedOptions.Set();
        var command = new Command("summary", "Print a Keras-style model summary: layers, output shapes, parameter counts.\n\n"
            + "Example:\n  rnnrunner summary experiments/basics/stacked-rnn.yaml")
        {
            spec, set,
        };
        command.SetAction(parse => SummaryCommand.Execute(parse.GetValue(spec)!, parse.GetValue(set)!, parse.GetValue(SharedOptions.Json),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
