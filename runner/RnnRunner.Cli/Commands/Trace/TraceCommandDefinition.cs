using System.CommandLine;
using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Tracing;

namespace RnnRunner.Cli.Commands.Trace;

/// <summary><c>rnnrunner trace</c>: one example through the model on the scratch engine, every gate at every step.</summary>
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
        command.SetAction(parse =>
        {
            var (output, errors) = (parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            var path = parse.GetValue(target)!;
            if (parse.GetValue(steps) < 1 || parse.GetValue(values) < 1)
            {
                errors.WriteLine("error: --steps and --values must be at least 1");
                return ExitCodes.InvalidInput;
            }
            try
            {
                IReadOnlyList<NamedTensor>? weights = null;
                if (Directory.Exists(path))
                {
                    var folder = RunFolder.Open(path);
                    if (!File.Exists(folder.Weights))
                        throw new InvalidDataException($"{folder.Path}: no weights.bin here; is this a completed run folder?");
                    weights = WeightsFile.Load(folder.Weights);
                    path = folder.SpecResolved;
                }
                var loaded = SpecInput.TryLoad(path, parse.GetValue(set)!, errors);
                if (loaded is null) return ExitCodes.InvalidInput;
                var trace = ModelTracer.Trace(loaded, weights, parse.GetValue(example), parse.GetValue(steps));
                output.WriteLine($"{loaded.Spec.Name}: {(weights is null ? $"initial weights (seed {loaded.Spec.Seed})" : "trained weights")}, scratch engine");
                TraceWriter.Write(trace, output, parse.GetValue(values));
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or DirectoryNotFoundException or DatasetException or Core.Storage.DamagedFileException)
            {
                errors.WriteLine($"error: {e.Message.Split(Environment.NewLine)[0]}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }
}
