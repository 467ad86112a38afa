using System.Globalization;
using System.Text.Json;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Storage;
using RnnRunner.Engines.Scratch;
using RnnRunner.Engines.Torch;
using Serilog;

namespace RnnRunner.Bench;

/// <summary>
/// libtorch's two LSTM paths on this machine: ATen's cells (RnnRunner's default) against oneDNN's primitives
/// (libtorch's default). (1) Correctness: for LSTM widths 1–80 on an IMDB-shaped batch, each path's evaluation loss
/// against a float64 forward pass of the same weights. (2) Cost: the IMDB LSTM spec trained for two real epochs on
/// each path and on onednn-training (oneDNN in training, ATen in evaluation), each in its own process. Writes docs/LSTM-KERNELS.md and docs/benchmarks/lstm-kernels.json.
/// </summary>
public sealed class KernelsBenchmark(ChildRnnrunner rnnrunner, string repositoryRoot, string docsFolder, int? threads)
{
    private const int Epochs = 2;
    private static readonly string[] Paths = ["aten", "onednn"];

    /// <summary>The paths trained on IMDB: both, and oneDNN in training with ATen in evaluation.</summary>
    private static readonly string[] TrainedPaths = [.. Paths, TorchEngine.OneDnnTraining];

    public sealed record WidthCheck(int Units, string Path, double RelativeError);

    public sealed record EpochTiming(string Path, IReadOnlyList<double> EpochSeconds, double? ValidationAccuracy, string RecurrentKernels,
        long? MinorPageFaults, double? PeakMemoryMb, string Allocator);

    public int Run(string commandLine)
    {
        var started = DateTime.UtcNow;
        var checks = new List<WidthCheck>();
        foreach (var oneDnn in new[] { false, true })
            for (var units = 1; units <= 80; units++) checks.Add(Check(units, oneDnn));
        LibTorchContext.UseOneDnn(false); // leave this process as every run finds it
        foreach (var path in Paths)
            Log.Information("{Path}: wrong at {Count} of 80 widths ({Widths})", path,
                checks.Count(c => c.Path == path && c.RelativeError > 1e-5), Wrong(checks, path));

        var timings = TrainedPaths.Select(Time).ToList();
        Directory.CreateDirectory(Path.Combine(docsFolder, "benchmarks"));
        AtomicFile.WriteAllText(Path.Combine(docsFolder, "benchmarks", "lstm-kernels.json"), JsonSerializer.Serialize(
            new { started, machine = MachineInfo.Current(), command = commandLine, checks, timings }, RunSummary.JsonOptions));
        AtomicFile.WriteAllText(Path.Combine(docsFolder, "LSTM-KERNELS.md"), Report(commandLine, started, checks, timings));
        Log.Information("Wrote {Report}", Path.Combine(docsFolder, "LSTM-KERNELS.md"));
        return BenchExit.Success;
    }

    /// <summary>Relative error of the torch engine's evaluation loss against float64, IMDB LSTM shape, initial weights.</summary>
    private WidthCheck Check(int units, bool oneDnn)
    {
        var loaded = SpecLoader.LoadFile(Path.Combine(repositoryRoot, "experiments", "imdb", "lstm.yaml"),
            [$"model[1]={{type: lstm, units: {units}}}", "engine=torch", "training.batch_size=16", "data.maxlen=100"]);
        var batch = BenchmarkBatches.RandomTokens(loaded);
        using var model = new TorchEngine(threads, oneDnn).Build(loaded.Plan, loaded.Spec.Training, DeviceKind.Cpu, loaded.Spec.Seed);
        var expected = Float64Reference.Evaluate(loaded.Plan, loaded.Spec.Training.Loss, model.GetWeights(), batch).Loss;
        return new WidthCheck(units, oneDnn ? "onednn" : "aten", Math.Abs(model.Evaluate(batch).Loss - expected) / expected);
    }

    /// <summary>The IMDB LSTM spec, <see cref="Epochs"/> epochs, in a child process on one path.</summary>
    private EpochTiming Time(string path)
    {
        Log.Information("Training the IMDB LSTM for {Epochs} epochs on the {Path} path...", Epochs, path);
        var folder = rnnrunner.Train(Path.Combine(repositoryRoot, "experiments", "imdb", "lstm.yaml"),
            Path.Combine(repositoryRoot, "results", "bench-kernels"), [$"training.epochs={Epochs}"],
            new Dictionary<string, string> { ["RNNRUNNER_LSTM_KERNELS"] = path });
        var summary = RunSummary.Read(RunFolder.At(folder).Summary);
        var seconds = File.ReadAllLines(RunFolder.At(folder).Metrics).Skip(1)
            .Select(line => double.Parse(line.Split(',')[^1], CultureInfo.InvariantCulture)).ToList();
        Log.Information("{Path}: {Seconds} s per epoch", path, string.Join(", ", seconds.Select(s => s.ToString("F1", CultureInfo.InvariantCulture))));
        return new EpochTiming(path, seconds, summary.FinalMetrics?.GetValueOrDefault(MetricKey.Of(MetricKind.Accuracy, DataSplit.Validation).Name),
            summary.RecurrentKernels ?? "?", summary.MinorPageFaults, summary.PeakMemoryMb, summary.Versions.GetValueOrDefault("allocator", "?"));
    }

    private static string Wrong(IEnumerable<WidthCheck> checks, string path)
    {
        var wrong = checks.Where(c => c.Path == path && c.RelativeError > 1e-5).Select(c => c.Units).ToList();
        return wrong.Count == 0 ? "none" : string.Join(", ", Ranges(wrong));
    }

    private static IEnumerable<string> Ranges(IReadOnlyList<int> sorted)
    {
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            yield return i == j ? $"{sorted[i]}" : $"{sorted[i]}–{sorted[j]}";
            i = j + 1;
        }
    }

    private static string Report(string command, DateTime started, IReadOnlyList<WidthCheck> checks, IReadOnlyList<EpochTiming> timings)
    {
        var sb = BenchmarkReport.Start("LSTM kernels in libtorch: ATen's cells against oneDNN", started, command);
        sb.AppendLine("libtorch runs nn.LSTM on oneDNN when oneDNN is enabled (GRU and SimpleRNN always run ATen's cells), and oneDNN");
        sb.AppendLine("chooses its kernel by CPU. On AMD EPYC (AVX-512 + bf16) oneDNN 3.7.1 trains with its `ref` kernel and evaluates with");
        sb.AppendLine("`rnn,brgemm:avx512_core,forward_inference`, whose weights are blocked 32 output channels at a time (`abdEc32e`);");
        sb.AppendLine("it returns wrong LSTM outputs for widths whose last block is at most about half full (units mod 32 in 1–16; the");
        sb.AppendLine("table below), so validation and test metrics were wrong while training was right. RnnRunner switches oneDNN");
        sb.AppendLine("off (`at::Context::setUserEnabledMkldnn(false)`, `LibTorchContext.cs`): by default every LSTM runs ATen's cells, the");
        sb.AppendLine("same code on every CPU and in training and evaluation; summary.json records it as `recurrent_kernels`.");
        sb.AppendLine("`RNNRUNNER_LSTM_KERNELS=onednn` brings libtorch's default back and `onednn-training` runs oneDNN in training steps");
        sb.AppendLine("only (ATen in every evaluation), for diagnosis and this benchmark; on either the engine leaves glibc's allocator");
        sb.AppendLine("at its defaults. oneDNN's training steps alone are 2-3× faster than ATen's here, but whole runs were erratic:");
        sb.AppendLine("with freed memory kept, oneDNN's workspaces fragmented a heap that is never trimmed, and IMDB LSTM runs grew to");
        sb.AppendLine("6-7 GB with millions of page faults (38-62 s epochs beside 8 s ones); with glibc's defaults every workspace is");
        sb.AppendLine("faulted in afresh (the page-fault and memory columns below). A few calibration steps cannot see either, so the");
        sb.AppendLine("torch engine's calibration does not offer oneDNN.");
        sb.AppendLine();
        sb.AppendLine("## Correctness by width");
        sb.AppendLine();
        sb.AppendLine("Embedding 10000×32 → LSTM(units) → Dense(1), 16 reviews × 100 random tokens, initial weights: the evaluation loss");
        sb.AppendLine("against a float64 forward pass of the same weights (the scratch engine in double precision). Wrong = relative error");
        sb.AppendLine("above 1e-5 (float32 agreement is about 1e-7).");
        sb.AppendLine();
        sb.AppendLine("| path | widths 1–80 wrong | largest relative error |");
        sb.AppendLine("|---|---|---|");
        foreach (var path in Paths)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {path} | {Wrong(checks, path)} | {checks.Where(c => c.Path == path).Max(c => c.RelativeError):G2} |"));
        sb.AppendLine();
        sb.AppendLine("## Cost on IMDB");
        sb.AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"`experiments/imdb/lstm.yaml` (LSTM(32), 20,000 training and 5,000 validation reviews of 500 tokens, batch 128) trained for {Epochs} epochs"));
        sb.AppendLine("on each path, each in its own process, one after the other; seconds include the validation pass.");
        sb.AppendLine();
        sb.AppendLine("| path | recurrent_kernels | allocator | seconds per epoch | mean | minor page faults | peak memory | val accuracy after the last epoch |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var t in timings)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {t.Path} | {t.RecurrentKernels} | {t.Allocator} | {string.Join(", ", t.EpochSeconds.Select(s => s.ToString("F1", CultureInfo.InvariantCulture)))} | {t.EpochSeconds.Average():F1} | {BenchmarkReport.Number(t.MinorPageFaults, "N0")} | {BenchmarkReport.Number(t.PeakMemoryMb, "N0")} MiB | {BenchmarkReport.Number(t.ValidationAccuracy, "F4")} |"));
        var (aten, onednn, training) = (timings[0].EpochSeconds.Average(), timings[1].EpochSeconds.Average(), timings[2].EpochSeconds.Average());
        sb.AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"ATen's path takes **{aten / onednn:F2}×** the time of oneDNN's per IMDB epoch here ({aten - onednn:+0.0;-0.0} s), and **{aten / training:F2}×** that of the onednn-training variant ({aten - training:+0.0;-0.0} s)."));
        return sb.ToString();
    }
}
