using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Torch;
using Serilog;

namespace RnnRunner.Cli.Benchmarks;

/// <summary>
/// libtorch's two LSTM paths on this machine: ATen's native cells (RnnRunner's choice) against oneDNN's primitives
/// (libtorch's default). For the IMDB LSTM shape (Embedding 10000×32, batch 128 × 500 steps) at 32–256 units it
/// times a training step and an evaluation step on each path, checks each path's evaluation loss against its own
/// training-mode forward pass (the same weights and batch), and prices an IMDB epoch (157 training and 40
/// validation batches). Writes docs/LSTM-KERNELS.md and docs/benchmarks/lstm-kernels.json.
/// </summary>
public sealed class KernelsBenchmark(string repositoryRoot, string docsFolder, int? threads)
{
    private static readonly int[] UnitSweep = [8, 16, 32, 64, 128, 256];
    private const int TrainBatchesPerEpoch = 157, ValidationBatchesPerEpoch = 40; // 20,000 and 5,000 reviews at 128

    public sealed record PathTiming(int Units, string Path, double TrainMs, double EvaluateMs, double EvaluationError);

    public int Run(string commandLine)
    {
        var started = DateTime.UtcNow;
        var timings = new List<PathTiming>();
        foreach (var units in UnitSweep)
        foreach (var oneDnn in new[] { false, true })
        {
            var timing = Measure(units, oneDnn);
            timings.Add(timing);
            Log.Information("lstm {Units} units, {Path}: train {Train:F1} ms, evaluate {Eval:F1} ms, evaluation error {Error:G3}",
                units, timing.Path, timing.TrainMs, timing.EvaluateMs, timing.EvaluationError);
        }
        LibTorchContext.UseOneDnn(false); // leave the process as every run finds it

        Directory.CreateDirectory(Path.Combine(docsFolder, "benchmarks"));
        AtomicFile.WriteAllText(Path.Combine(docsFolder, "benchmarks", "lstm-kernels.json"), JsonSerializer.Serialize(
            new { started, machine = MachineInfo.Current(), command = commandLine, timings }, RunSummary.JsonOptions));
        AtomicFile.WriteAllText(Path.Combine(docsFolder, "LSTM-KERNELS.md"), Report(commandLine, started, timings));
        Log.Information("Wrote {Report}", Path.Combine(docsFolder, "LSTM-KERNELS.md"));
        return ExitCodes.Success;
    }

    private PathTiming Measure(int units, bool oneDnn)
    {
        var loaded = SpecLoader.LoadFile(Path.Combine(repositoryRoot, "experiments", "imdb", "lstm.yaml"),
            [$"model[1]={{type: lstm, units: {units}}}", "engine=torch"]);
        var batch = BenchmarkBatches.RandomTokens(loaded);
        using var model = new TorchEngine(threads, oneDnn).Build(loaded.Plan, loaded.Spec.Training, DeviceKind.Cpu, loaded.Spec.Seed);
        var trainMs = BenchmarkBatches.MeanMilliseconds(() => model.TrainStep(batch));
        var evaluateMs = BenchmarkBatches.MeanMilliseconds(() => model.Evaluate(batch));

        // The training step's loss is computed by the training-mode forward pass before the update; evaluating the
        // weights it started from must give the same number (the spec has no dropout).
        var weights = model.GetWeights();
        var evaluated = model.Evaluate(batch).Loss;
        var trained = model.TrainStep(batch).Loss;
        model.SetWeights(weights);
        return new PathTiming(units, oneDnn ? "onednn" : "aten", trainMs, evaluateMs, Math.Abs(evaluated - trained));
    }

    private static string Report(string command, DateTime started, IReadOnlyList<PathTiming> timings)
    {
        var sb = BenchmarkReport.Start("LSTM kernels in libtorch: ATen's cells against oneDNN", started, command);
        sb.AppendLine("libtorch runs nn.LSTM on oneDNN when oneDNN is enabled (GRU and SimpleRNN always run ATen's cells), and oneDNN");
        sb.AppendLine("chooses its kernel by CPU. On AMD EPYC (AVX-512 + bf16) oneDNN 3.7.1 trains with its `ref` kernel and evaluates with");
        sb.AppendLine("`rnn,brgemm:avx512_core,forward_inference`, whose weights are blocked 32 output channels at a time (`abdEc32e`):");
        sb.AppendLine("that kernel returns wrong LSTM outputs whenever **units mod 32 is 1–16** (1–16, 33–48, 65–80 units wrong; 17–32,");
        sb.AppendLine("49–64 right; swept 1–80, uni- and bidirectional, last state and sequences), so validation and test metrics were wrong");
        sb.AppendLine("while training was right. RnnRunner switches oneDNN off (`at::Context::setUserEnabledMkldnn(false)`, see");
        sb.AppendLine("`LibTorchContext.cs`): every LSTM then runs ATen's cells, the same code on every CPU and the same path in training");
        sb.AppendLine("and evaluation; summary.json records it as `recurrent_kernels`. This report measures both paths on this machine");
        sb.AppendLine("(`RNNRUNNER_LSTM_KERNELS=onednn` brings libtorch's default back, for diagnosis only).");
        sb.AppendLine();
        sb.AppendLine("IMDB LSTM shape: Embedding 10000×32 → LSTM(units) → Dense(1), batch 128 × 500 tokens, RMSprop; the mean of at");
        sb.AppendLine("least 3 steps and 2 s after a warm-up, on one random batch. *Evaluation error*: |evaluation loss − training-mode");
        sb.AppendLine("loss| for the same weights and batch (float32 agreement is about 1e-6). *Epoch*: 157 training + 40 validation");
        sb.AppendLine("batches, the IMDB recipe's 20,000 / 5,000 split.");
        sb.AppendLine();
        sb.AppendLine("| units | path | train ms / step | evaluate ms / step | evaluation error | IMDB epoch (s) | aten saves per epoch |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var t in timings)
        {
            var epoch = Epoch(t);
            var other = timings.First(o => o.Units == t.Units && o.Path != t.Path);
            var saving = t.Path == "aten" ? string.Create(CultureInfo.InvariantCulture, $"{Epoch(other) - epoch:F1} s ({Epoch(other) / epoch:F2}×)") : "";
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {t.Units} | {t.Path} | {t.TrainMs:F1} | {t.EvaluateMs:F1} | {t.EvaluationError:G2} | {epoch:F1} | {saving} |"));
        }
        return sb.ToString();
    }

    private static double Epoch(PathTiming t) => (TrainBatchesPerEpoch * t.TrainMs + ValidationBatchesPerEpoch * t.EvaluateMs) / 1000;
}
