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
        command.SetAction(parse =>
        {
            var loaded = SpecInput.TryLoad(parse.GetValue(spec)!, parse.GetValue(set)!, parse.InvocationConfiguration.Error);
            if (loaded is null) return ExitCodes.InvalidInput;
            if (parse.GetValue(SharedOptions.Json))
                JsonOutput.Write(parse.InvocationConfiguration.Output, JsonOutput.ModelJson.From(loaded.Spec.Name, loaded.Plan));
            else
                parse.InvocationConfiguration.Output.WriteLine(loaded.Plan.Summary(loaded.Spec.Name));
            return ExitCodes.Success;
        });
        return command;
    }
}
