using System.CommandLine;
using RnnRunner.Cli.Benchmarks;

namespace RnnRunner.Cli.Commands.Bench;

public static class BenchCommandDefinition
{
    public static Command Create()
    {
        var suite = new Argument<string>("suite") { Description = "The benchmark suite to run: imdb." };
        suite.AcceptOnlyFromAmong("imdb");
        var models = new Option<string[]>("--models")
        {
            Description = $"Models to train (default: all of {string.Join(", ", ImdbBenchmark.AllModels)}).",
            DefaultValueFactory = _ => ImdbBenchmark.AllModels,
            AllowMultipleArgumentsPerToken = true,
        };
        var docs = new Option<string>("--docs") { Description = "Where RESULTS.md and the plots go.", DefaultValueFactory = _ => "docs" };
        var set = SharedOptions.Set();
        var command = new Command("bench", "Run a benchmark suite and write its report (docs/RESULTS.md for imdb).\n\n"
            + "Example:\n  rnnrunner bench imdb --models lstm gru")
        {
            suite, models, docs, set,
        };
        command.SetAction(parse =>
        {
            var chosen = parse.GetValue(models)!;
            var unknown = chosen.Except(ImdbBenchmark.AllModels).ToList();
            if (unknown.Count > 0)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: unknown model(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", ImdbBenchmark.AllModels)}");
                return ExitCodes.InvalidInput;
            }
            var commandLine = "./rnnrunner " + string.Join(' ', parse.Tokens.Select(t => t.Value));
            return new ImdbBenchmark(Environment.CurrentDirectory, Path.GetFullPath(parse.GetValue(docs)!), chosen, parse.GetValue(set)!)
                .Run(commandLine);
        });
        return command;
    }
}
