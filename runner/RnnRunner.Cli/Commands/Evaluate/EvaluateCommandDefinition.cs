using System.CommandLine;
using RnnRunner.Core.Specs;

namespace RnnRunner.Cli.Commands.Evaluate;

public static class EvaluateCommandDefinition
{
    public static Command Create()
    {
        var run = new Argument<string>("run-folder") { Description = "A completed run, e.g. results/tickets/001-…" };
        var data = new Option<string?>("--data")
        {
            Description = "A YAML file with a data section (data: …, or the section alone) to evaluate on, encoded as the run encoded its own "
                + "(its vocabulary, its series normalisation); default: the run's own data.",
        };
        var split = new Option<string>("--split") { Description = "test (default), validation or train.", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "validation", "train");
        var command = new Command("evaluate", "A trained run's loss and metrics (and a classifier's confusion matrix) on a split of its own data or of "
            + "other data; saved as evaluations/NNN.json, with NNN-confusion.png/.svg, in the run folder.\n\n"
            + "Examples:\n  rnnrunner evaluate results/tickets/001-20261202T110704Z\n"
            + "  rnnrunner evaluate results/tickets/001-20261202T110704Z --data new-tickets.yaml")
        {
            run, data, split,
        };
        command.SetAction(parse => EvaluateCommand.Execute(parse.GetValue(run)!, parse.GetValue(data),
            parse.GetValue(split) switch { "train" => DataSplit.Train, "validation" => DataSplit.Validation, _ => DataSplit.Test },
            parse.GetValue(SharedOptions.Json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error,
            Composition.Of(parse)));
        return command;
    }
}
