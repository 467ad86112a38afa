using System.CommandLine;

namespace RnnRunner.Cli.Commands.Trace;

public static class TraceCommandDefinition
{
    public static Command Create()
    {
        var target = new Argument<string>("spec-or-run")
        {
            Description = "A spec (traced with its seeded initial weights) or a run folder (traced with its trained weights).",
        };
        var steps = new Option<int>("--steps") { Description = "Time steps to feed (the example's first N).", DefaultValueFactory = _ => 5 };
        var example = new Option<int>("--example") { Description = "Which training example to trace.", DefaultValueFactory = _ => 0 };
        var values = new Option<int>("--values") { Description = "Values shown per vector before '…'.", DefaultValueFactory = _ => 8 };
        var set = SharedOptions.Set();
        var command = new Command("trace", "Walk one example through the model on the scratch engine and print, step by step, "
            + "the input, every gate, the cell state and the hidden state.\n\n"
            + "Examples:\n  rnnrunner trace experiments/basics/basic-rnn.yaml --steps 3\n  rnnrunner trace results/imdb-lstm/001-20261124T101500Z --steps 4 --values 6")
        {
            target, steps, example, values, set,
        };
        command.SetAction(parse => TraceCommand.Execute(parse.GetValue(target)!, parse.GetValue(set)!, parse.GetValue(example),
            parse.GetValue(steps), parse.GetValue(values), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
