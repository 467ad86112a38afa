using System.CommandLine;

namespace RnnRunner.Cli.Commands.Run;

public static class RunCommandDefinition
{
    public static readonly Option<string> Results = new("--results")
    {
        Description = "The results folder (each run gets results/<name>/<NNN>-<timestamp>/).",
        DefaultValueFactory = _ => "results",
    };

    public static Command Create()
    {
        var spec = new Argument<string>("spec")
        {
            Description = $"The spec to run; without one, the built-in default ({BuiltInExperiments.DefaultName}).",
            DefaultValueFactory = _ => BuiltInExperiments.DefaultName,
        };
        var set = SharedOptions.Set();
        var into = new Option<string?>("--into")
        {
            Description = "Run into exactly this folder instead of a new numbered one (grids use it for their trials).",
            Hidden = true,
        };
        var command = new Command("run", "Validate a spec, train its model and write a new results folder.\n\n"
            + "Examples:\n  rnnrunner run\n  rnnrunner run experiments/basics/stacked-rnn.yaml --set training.epochs=3")
        {
            spec, set, Results, into,
        };
        command.SetAction(parse => RunCommand.Execute(parse.GetValue(spec)!, parse.GetValue(set)!, parse.GetValue(Results)!, parse.GetValue(into), parse.GetValue(SharedOptions.Json),
            new ConsoleStreams(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error), Composition.Of(parse)));
        return command;
    }
}
