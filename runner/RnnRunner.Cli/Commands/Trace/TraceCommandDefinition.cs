using System.CommandLine;
using RnnRunner.Core.Inspection;

namespace RnnRunner.Cli.Commands.Trace;

public static class TraceCommandDefinition
{
    public static Command Create()
    {
        var target = new Argument<string>("spec-or-run")
        {
            Description = "A spec (traced with its seeded initial weights) or a run folder (traced with its trained weights).",
        };
        var steps = new Option<int>("--steps") { Description = "Steps to show in each layer, padding left out (0: every step).", DefaultValueFactory = _ => 5 };
        var example = new Option<int>("--example") { Description = "Which training example to trace.", DefaultValueFactory = _ => 0 };
        var text = new Option<string?>("--text") { Description = "Trace your own text instead (a text model; encoded and padded as predict does)." };
        var values = new Option<int>("--values") { Description = "Values shown per vector before '…'.", DefaultValueFactory = _ => 8 };
        var padding = new Option<bool>("--padding") { Description = "Show the padding steps too." };
        var ids = new Option<bool>("--ids") { Description = "Show each word's token id beside it." };
        var engine = SharedOptions.InspectionEngine();
        var set = SharedOptions.Set();
        var command = new Command("trace", "Walk one sequence through the model: its words, the prediction after each word "
            + "(and where it crossed 0.5), then, step by step, the input, every gate, the cell state and the hidden state of each recurrent layer.\n\n"
            + "Examples:\n  rnnrunner trace experiments/basics/basic-rnn.yaml --steps 3\n"
            + "  rnnrunner trace results/imdb-lstm/001-20261124T101500Z --text \"a slow start, then wonderful\" --steps 0 --values 4\n"
            + "  rnnrunner trace results/imdb-lstm/001-20261124T101500Z --example 7 --json")
        {
            target, steps, example, text, values, padding, ids, engine, set,
        };
        command.SetAction(parse => TraceCommand.Execute(
            new TraceCommand.Request(parse.GetValue(target)!, parse.GetValue(set)!, parse.GetValue(example), parse.GetValue(text),
                new TraceView(parse.GetValue(values), parse.GetValue(steps), parse.GetValue(padding), parse.GetValue(ids)), parse.GetValue(SharedOptions.Json),
                parse.GetValue(engine)),
            Composition.Of(parse), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
