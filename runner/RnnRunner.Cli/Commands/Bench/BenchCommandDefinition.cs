using System.CommandLine;
using RnnRunner.Cli.Benchmarks;

namespace RnnRunner.Cli.Commands.Bench;

public static class BenchCommandDefinition
{
    public static Command Create()
    {
        var suite = new Argument<string>("suite")
        {
            Description = "The benchmark suite to run: imdb (the model suite → docs/RESULTS.md), engines (TorchSharp against scratch → docs/BENCHMARKS.md), kernels (libtorch's LSTM paths → docs/LSTM-KERNELS.md), masking (gathers against pack_padded_sequence → docs/MASKED-RNN.md), runs (listing hundreds of runs → docs/RESULTS-INDEX.md) or search (samplers on synthetic objectives, ASHA against a full search, a study killed and rerun → docs/SEARCH.md).",
        };
        suite.AcceptOnlyFromAmong("imdb", "engines", "kernels", "masking", "runs", "search");
        var models = new Option<string[]>("--models")
        {
            Description = $"Models to train (default: all of {string.Join(", ", ImdbBenchmark.AllModels)}).",
            DefaultValueFactory = _ => ImdbBenchmark.AllModels,
            AllowMultipleArgumentsPerToken = true,
        };
        var docs = new Option<string>("--docs") { Description = "Where the report and its plots go.", DefaultValueFactory = _ => "docs" };
        var stepsOnly = new Option<bool>("--steps-only") { Description = "engines: time training steps only, skip the full IMDB training runs." };
        var pytorch = new Option<string[]>("--pytorch")
        {
            Description = "engines: JSON lines from scripts/pytorch-reference.py (one file per PyTorch configuration) to set beside the TorchSharp engine's timings in docs/PYTORCH-REFERENCE.md.",
            AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [],
        };
        var rounds = new Option<int>("--rounds")
        {
            Description = "engines: sweep the step timings this many times and report each width's median (a shared machine's slow spells land in one round).",
            DefaultValueFactory = _ => 1,
        };
        var set = SharedOptions.Set();
        var command = new Command("bench", "Run a benchmark suite and write its report (docs/RESULTS.md for imdb, docs/BENCHMARKS.md for engines, docs/LSTM-KERNELS.md for kernels, docs/MASKED-RNN.md for masking, docs/RESULTS-INDEX.md for runs, docs/SEARCH.md for search).\n\n"
            + "Examples:\n  rnnrunner bench imdb --models lstm gru\n  rnnrunner bench engines --steps-only\n  rnnrunner bench kernels\n  rnnrunner bench masking\n  rnnrunner bench runs\n  rnnrunner bench search")
        {
            suite, models, docs, stepsOnly, pytorch, rounds, set,
        };
        command.SetAction(parse => BenchCommand.Execute(parse.GetValue(suite)!, parse.GetValue(models)!, Path.GetFullPath(parse.GetValue(docs)!),
            parse.GetValue(stepsOnly), parse.GetValue(set)!, parse.GetValue(pytorch)!, Math.Max(1, parse.GetValue(rounds)), "./rnnrunner " + string.Join(' ', parse.Tokens.Select(t => t.Value)),
            parse.InvocationConfiguration.Error, Composition.Of(parse)));
        return command;
    }
}
