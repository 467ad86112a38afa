using RnnRunner.Bench;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Bench;

/// <summary>docs/PYTORCH-REFERENCE.md: the TorchSharp engine's step timings beside the lines scripts/pytorch-reference.py printed.</summary>
public class PyTorchComparisonTests
{
    private const string Header = """{"machine": {"cpu": "Test CPU", "isa": "AVX2, FMA", "cores": 2}, "torch": "2.6.0", "blas": ["/usr/lib/x/openblas-openmp/libblas.so.3"], "mkldnn": true, "threads": 2, "interop_threads": 1, "flush_denormal": true}""";

    private static string Reference(TempDirectory temp, params (string Cell, int Units, double TokensPerSecond, double EvalMs)[] rows) =>
        Reference(temp, "reference.jsonl", rows);

    private static string Reference(TempDirectory temp, string name, params (string Cell, int Units, double TokensPerSecond, double EvalMs)[] rows)
    {
        var lines = rows.Select(r => $$"""{"cell": "{{r.Cell}}", "units": {{r.Units}}, "ms_per_step": 1, "train_tokens_per_s": {{r.TokensPerSecond}}, "eval_ms_per_batch": {{r.EvalMs}}, "eval_tokens_per_s": 1}""");
        File.WriteAllLines(temp.File(name), [Header, .. lines]);
        return temp.File(name);
    }

    [Fact]
    public void Each_width_gets_the_ratio_of_training_tokens_per_second_and_the_summary_counts_the_widths_that_meet_the_target()
    {
        using var temp = new TempDirectory();
        var comparison = PyTorchComparison.Load([Reference(temp, ("lstm", 32, 100_000, 20), ("gru", 64, 400_000, 30))]);
        // 64,000 tokens a batch: 320 ms a step is 200,000 tokens/s (2.00× of 100,000); 320 ms against 400,000 is 0.50×.
        EnginesBenchmark.StepTiming[] timings =
        [
            new("lstm", 32, "torch", "aten, 2 threads", 320, 12, 1), new("lstm", 32, "scratch", "scratch, 2 threads", 30, 3, 1),
            new("gru", 64, "torch", "aten, 1 thread", 320, 15, 1), new("gru", 64, "scratch", "scratch, 2 threads", 30, 3, 1),
        ];

        var report = comparison.Report("./rnnrunner bench engines", new DateTime(2026, 12, 2), "libtorch 2.10", timings, 64_000);

        Assert.Contains("| lstm | 32 | aten, 2 threads | 200,000 | 100,000 (**2.00×**) | 12 / 20 |", report);
        Assert.Contains("| gru | 64 | aten, 1 thread | 200,000 | 400,000 (**0.50×**) | 15 / 30 |", report);
        Assert.Contains("the TorchSharp engine is at least as fast at **1 of 2** widths; slower at gru 64 (0.500×)", report);
        Assert.Contains("PyTorch 2.6.0, oneDNN on (default), flush-to-zero on: Test CPU (AVX2, FMA), BLAS openblas-openmp, 2 threads (1 inter-op)", report);
    }

    [Fact]
    public void Reruns_of_one_configuration_become_one_column_holding_each_width_s_median_run()
    {
        using var temp = new TempDirectory();
        var files = new[] { 300_000.0, 100_000, 200_000 }.Select((tokens, i) => Reference(temp, $"run{i}.jsonl", ("lstm", 32, tokens, 10 * (i + 1)))).ToList();
        EnginesBenchmark.StepTiming[] timings = [new("lstm", 32, "torch", "aten, 2 threads", 320, 12, 1), new("lstm", 32, "scratch", "scratch, 2 threads", 30, 3, 1)];

        var comparison = PyTorchComparison.Load(files);
        var report = comparison.Report("./rnnrunner bench engines", new DateTime(2026, 12, 2), "libtorch 2.10", timings, 64_000);

        var reference = Assert.Single(comparison.References);
        Assert.EndsWith("(median of 3 runs)", reference.Label);
        Assert.Contains("| lstm | 32 | aten, 2 threads | 200,000 | 200,000 (**1.00×**) | 12 / 30 |", report); // the median run, its own evaluation time
    }

    [Fact]
    public void A_file_without_the_header_line_is_refused_by_name()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("bare.jsonl"), """{"cell": "lstm", "units": 32, "train_tokens_per_s": 1, "eval_ms_per_batch": 1}""" + "\n");

        var error = Assert.Throws<InvalidDataException>(() => PyTorchComparison.Load([temp.File("bare.jsonl")]));

        Assert.Contains("bare.jsonl: no header line", error.Message);
    }
}
