using System.CommandLine;
using RnnRunner.Cli.Benchmarks;

namespace RnnRunner.Cli.Commands.Bench;

public static class BenchCommandDefinition
{
    public static Command Create()
    {
        var suite = new Argument<string>("suite")
        {
            Description = "The benchmark suite to run: imdb (the model suite → docs/RESULTS.md), engines (TorchSharp against scratch → docs/BENCHMARKS.md) or kernels (libtorch's LSTM paths → docs/LSTM-KERNELS.md).",
        };
        suite.AcceptOnlyFromAmong("imdb", "engines", "kernels");
        var models = new Option<string[]>("--models")
        {
            Description = $"Models to train (default: all of {string.Join(", ", ImdbBenchmark.AllModels)}).",
            DefaultValueFactory = _ => ImdbBenchmark.AllModels,
            AllowMultipleArgumentsPerToken = true,
        };
        var docs = new Option<string>("--docs") { Description = "Where the report and its plots go.", DefaultValueFactory = _ => "docs" };
        var stepsOnly = new Option<bool>("--steps-only") { Description = "engines: time training steps only, skip the full IMDB training runs." };
        var set = SharedOptions.Set();
        var command = new Command("bench", "Run a benchmark suite and write its report (docs/RESULTS.md for imdb, docs/BENCHMARKS.md for engines, docs/LSTM-KERNELS.md for kernels).\n\n"
            + "Examples:\n  rnnrunner bench imdb --models lstm gru\n  rnnrunner bench engines --steps-only\n  rnnrunner bench kernels")
        {
            suite, models, docs, stepsOnly, set,
        };
        command.SetAction(parse =>
        {
            var commandLine = "./rnnrunner " + string.Join(' ', parse.Tokens.Select(t => t.Value));
            if (parse.GetValue(suite) == "kernels")
                return new KernelsBenchmark(Environment.CurrentDirectory, Path.GetFullPath(parse.GetValue(docs)!), Composition.Threads).Run(commandLine);
            if (parse.GetValue(suite) == "engines")
            {
                using var engines = Composition.Engines();
                return new EnginesBenchmark(Environment.CurrentDirectory, Path.GetFullPath(parse.GetValue(docs)!), engines,
                    train: !parse.GetValue(stepsOnly), parse.GetValue(set)!).Run(commandLine);
            }
            var chosen = parse.GetValue(models)!;
            var unknown = chosen.Except(ImdbBenchmark.AllModels).ToList();
            if (unknown.Count > 0)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: unknown model(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", ImdbBenchmark.AllModels)}");
                return ExitCodes.InvalidInput;
            }
            return new ImdbBenchmark(Environment.CurrentDirectory, Path.GetFullPath(parse.GetValue(docs)!), chosen, parse.GetValue(set)!)
                .Run(commandLine);
        });
        return command;
    }
}
