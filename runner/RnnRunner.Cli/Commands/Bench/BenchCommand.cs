using RnnRunner.Cli.Benchmarks;

namespace RnnRunner.Cli.Commands.Bench;

/// <summary><c>rnnrunner bench</c>: runs one benchmark suite and writes its report under <c>docs</c>.</summary>
public static class BenchCommand
{
    public static int Execute(string suite, IReadOnlyList<string> models, string docs, bool stepsOnly, IReadOnlyList<string> overrides, IReadOnlyList<string> pytorch, int rounds,
        string commandLine, TextWriter errors, Composition parts)
    {
        var root = Environment.CurrentDirectory;
        switch (suite)
        {
            case "runs":
                return new ResultsIndexBenchmark(docs).Run(commandLine);
            case "search":
                return new SearchBenchmark(docs).Run(commandLine);
            case "masking":
                return new MaskingBenchmark(root, docs).Run(commandLine);
            case "kernels":
                return new KernelsBenchmark(root, docs, parts.Threads).Run(commandLine);
            case "engines":
                using (var engines = parts.Engines())
                    return new EnginesBenchmark(root, docs, engines, train: !stepsOnly, overrides, pytorch, rounds).Run(commandLine);
        }
        var unknown = models.Except(ImdbBenchmark.AllModels).ToList();
        if (unknown.Count > 0)
        {
            errors.WriteLine($"error: unknown model(s) {string.Join(", ", unknown)}; choose from {string.Join(", ", ImdbBenchmark.AllModels)}");
            return ExitCodes.InvalidInput;
        }
        return new ImdbBenchmark(root, docs, models.ToArray(), overrides).Run(commandLine);
    }
}
