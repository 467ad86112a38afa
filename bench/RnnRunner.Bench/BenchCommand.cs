using RnnRunner.Core.Engines;
using RnnRunner.Core.Running;
using RnnRunner.Core.Settings;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch;
using RnnRunner.Engines.Torch;

namespace RnnRunner.Bench;

/// <summary>Exit codes of the benchmark program: as rnnrunner's (0 done, 1 a run failed, 2 bad input).</summary>
public static class BenchExit
{
    public const int Success = 0;
    public const int RunFailed = 1;
    public const int InvalidInput = 2;
}

/// <summary>What one benchmark invocation asked for.</summary>
/// <param name="Rnnrunner">The product, started for every run a suite trains (each in its own process: its memory and timings its own).</param>
/// <param name="Docs">Where the report and its plots go.</param>
/// <param name="CommandLine">The command as typed, for the report's header.</param>
public sealed record BenchRequest(string Suite, ChildRnnrunner Rnnrunner, string Docs, string CommandLine)
{
    public IReadOnlyList<string> Models { get; init; } = ImdbBenchmark.AllModels;
    public IReadOnlyList<string> Overrides { get; init; } = [];
    public IReadOnlyList<string> PyTorch { get; init; } = [];
    public IReadOnlyList<string> Optuna { get; init; } = [];
    public bool StepsOnly { get; init; }
    public int Rounds { get; init; } = 1;
    public int? Threads { get; init; }
}

/// <summary>Runs one benchmark suite and writes its report under the docs folder.</summary>
public static class BenchCommand
{
    public static readonly IReadOnlyList<string> Suites = ["imdb", "engines", "kernels", "masking", "runs", "search", "explain"];

    public static int Execute(BenchRequest request, TextWriter errors)
    {
        var root = Environment.CurrentDirectory;
        var (rnnrunner, docs, commandLine) = (request.Rnnrunner, request.Docs, request.CommandLine);
        if (!File.Exists(rnnrunner.Executable))
        {
            errors.WriteLine($"error: --rnnrunner {rnnrunner.Executable}: no such program (build it with ./rnnrunner --help, or name it)");
            return BenchExit.InvalidInput;
        }
        Directory.CreateDirectory(docs);
        switch (request.Suite)
        {
            case "runs":
                return new ResultsIndexBenchmark(rnnrunner, docs).Run(commandLine);
            case "search":
                return new SearchBenchmark(rnnrunner, docs, request.Optuna).Run(commandLine);
            case "explain":
                return new ExplainBenchmark(rnnrunner, root, docs, request.Overrides).Run(commandLine);
            case "masking":
                return new MaskingBenchmark(rnnrunner, root, docs).Run(commandLine);
            case "kernels":
                return new KernelsBenchmark(rnnrunner, root, docs, request.Threads).Run(commandLine);
            case "engines":
                using (var engines = Engines(request.Threads))
                    return new EnginesBenchmark(rnnrunner, root, docs, engines, train: !request.StepsOnly, request.Overrides, request.PyTorch, request.Rounds).Run(commandLine);
            case "imdb":
                var unknown = request.Models.Except(ImdbBenchmark.AllModels).ToList();
                if (unknown.Count > 0)
                {
                    errors.WriteLine($"error: unknown model(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", ImdbBenchmark.AllModels)}");
                    return BenchExit.InvalidInput;
                }
                return new ImdbBenchmark(rnnrunner, root, docs, request.Models.ToArray(), request.Overrides).Run(commandLine);
            default:
                errors.WriteLine($"error: unknown suite {request.Suite}; choose from {string.Join(", ", Suites)}");
                return BenchExit.InvalidInput;
        }
    }

    /// <summary>Both engines, as the product wires them (the step timings run in this process).</summary>
    private static EngineCatalog Engines(int? threads) => new(new Dictionary<EngineKind, Func<IEngine>>
    {
        [EngineKind.Torch] = () => new TorchEngine(threads, switches: Switchboard.Current),
        [EngineKind.Scratch] = () => new ScratchEngine(threads, Switchboard.Current),
    })
    { Threads = threads };
}
