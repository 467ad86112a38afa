using System.CommandLine;
using RnnRunner.Core.Running;

namespace RnnRunner.Bench;

/// <summary>The benchmark program's command line: <c>./rnnrunner-bench &lt;suite&gt; [options]</c> (what <c>make bench-*</c> runs).</summary>
public static class BenchCommandDefinition
{
    public static RootCommand Create()
    {
        var suite = new Argument<string>("suite")
        {
            Description = "The benchmark suite to run: imdb (the model suite → docs/RESULTS.md), engines (TorchSharp against scratch → docs/BENCHMARKS.md), kernels (libtorch's LSTM paths → docs/LSTM-KERNELS.md), masking (gathers against pack_padded_sequence → docs/MASKED-RNN.md), runs (listing hundreds of runs → docs/RESULTS-INDEX.md), search (samplers on synthetic objectives, ASHA against a full search, a study killed and rerun → docs/SEARCH.md) or explain (rnnrunner explain on IMDB reviews, both engines → docs/EXPLAIN.md).",
        };
        suite.AcceptOnlyFromAmong([.. BenchCommand.Suites]);
        var models = new Option<string[]>("--models")
        {
            Description = $"imdb: models to train (default: all of {string.Join(", ", ImdbBenchmark.AllModels)}).",
            DefaultValueFactory = _ => [.. ImdbBenchmark.AllModels],
            AllowMultipleArgumentsPerToken = true,
        };
        var docs = new Option<string>("--docs") { Description = "Where the report and its plots go.", DefaultValueFactory = _ => "docs" };
        var rnnrunner = new Option<string>("--rnnrunner")
        {
            Description = "The rnnrunner program the suites start for their runs (default: artifacts/cli/rnnrunner, beside this program's artifacts/bench).", DefaultValueFactory = _ => Path.Combine(AppContext.BaseDirectory, "..", "cli", "rnnrunner"), // artifacts/bench beside artifacts/cli
        };
        var stepsOnly = new Option<bool>("--steps-only") { Description = "engines: time training steps only, skip the full IMDB training runs." };
        var pytorch = new Option<string[]>("--pytorch")
        {
            Description = "engines: JSON lines from scripts/pytorch-reference.py (one file per PyTorch configuration) to set beside the TorchSharp engine's timings in docs/PYTORCH-REFERENCE.md.",
            AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [],
        };
        var optuna = new Option<string[]>("--optuna")
        {
            Description = "search: JSON lines from scripts/optuna-reference.sh (Optuna's NSGA-II on ZDT1/ZDT2) to set beside RnnRunner's nsga2 in docs/SEARCH.md.",
            AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [],
        };
        var rounds = new Option<int>("--rounds")
        {
            Description = "engines: sweep the step timings this many times and report each width's median (a shared machine's slow spells land in one round).",
            DefaultValueFactory = _ => 1,
        };
        var set = new Option<string[]>("--set")
        {
            Description = "Override a spec value of every run, e.g. --set training.epochs=3.", AllowMultipleArgumentsPerToken = false, DefaultValueFactory = _ => [],
        };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for either engine in this process's step timings (default: the engines' own choice)." };
        var command = new RootCommand("RnnRunner's benchmarks: run a suite and write its report (docs/RESULTS.md for imdb, docs/BENCHMARKS.md for engines, docs/LSTM-KERNELS.md for kernels, docs/MASKED-RNN.md for masking, docs/RESULTS-INDEX.md for runs, docs/SEARCH.md for search, docs/EXPLAIN.md for explain).\n\n"
            + "Examples:\n  ./rnnrunner-bench imdb --models lstm gru\n  ./rnnrunner-bench engines --steps-only --rounds 3\n  ./rnnrunner-bench kernels\n  ./rnnrunner-bench masking\n  ./rnnrunner-bench runs\n  ./rnnrunner-bench search\n  ./rnnrunner-bench explain")
        {
            suite, models, docs, rnnrunner, stepsOnly, pytorch, optuna, rounds, set, threads,
        };
        command.SetAction(parse => BenchCommand.Execute(
            new BenchRequest(parse.GetValue(suite)!, new ChildRnnrunner(Path.GetFullPath(parse.GetValue(rnnrunner)!)), Path.GetFullPath(parse.GetValue(docs)!),
                "./rnnrunner-bench " + string.Join(' ', parse.Tokens.Select(t => t.Value)))
            {
                Models = parse.GetValue(models)!, Overrides = parse.GetValue(set)!, PyTorch = parse.GetValue(pytorch)!, Optuna = parse.GetValue(optuna)!, StepsOnly = parse.GetValue(stepsOnly),
                Rounds = Math.Max(1, parse.GetValue(rounds)), Threads = parse.GetValue(threads) is > 0 and var t ? t : null,
            },
            parse.InvocationConfiguration.Error));
        return command;
    }
}
