using RnnRunner.Core.Loading;
using RnnRunner.Core.Storage;
using System.Globalization;
using System.Text;
using System.Text.Json;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;
using Serilog;

namespace RnnRunner.Cli.Benchmarks;

/// <summary>
/// TorchSharp against the scratch engine, side by side in one process run: (1) the time of one training step
/// (forward, BPTT, optimizer) on an IMDB-shaped batch — 128 reviews × 500 tokens, Embedding 10000×32 — for
/// SimpleRNN, LSTM and GRU at 32, 64, 128 and 256 units, with the GFLOP/s each reaches against this machine's
/// measured peak; (2) the IMDB SimpleRNN and LSTM specs trained in full on each engine, same seed, for epoch
/// time and accuracy. Writes docs/BENCHMARKS.md and docs/benchmarks/engines.json.
/// </summary>
public sealed class EnginesBenchmark(string repositoryRoot, string docsFolder, EngineCatalog engines, bool train, IReadOnlyList<string> overrides)
{
    public static readonly int[] UnitSweep = [32, 64, 128, 256];
    public static readonly string[] Cells = ["simple_rnn", "lstm", "gru"];
    public static readonly string[] TrainedModels = ["simple-rnn", "lstm"];
    private static readonly EngineKind[] Engines = [EngineKind.Torch, EngineKind.Scratch];

    public sealed record StepTiming(string Cell, int Units, string Engine, double MillisecondsPerStep, double Gflops);

    public sealed record TrainedRun(string Model, string Engine, string RunFolder, RunSummary Summary);

    public int Run(string commandLine)
    {
        var started = DateTime.UtcNow;
        var cores = Environment.ProcessorCount;
        var peak = PeakFlops.Measure(cores);
        Log.Information("Measured peak: {Peak:F1} GFLOP/s on {Cores} cores (float32 {Bits}-bit FMA)", peak, cores, PeakFlops.VectorBits);

        var timings = new List<StepTiming>();
        foreach (var cell in Cells)
        foreach (var units in UnitSweep)
        foreach (var engine in Engines)
        {
            var timing = TimeStep(cell, units, engine);
            timings.Add(timing);
            Log.Information("{Cell} {Units} units, {Engine}: {Ms:F0} ms per training step, {Gflops:F1} GFLOP/s",
                cell, units, timing.Engine, timing.MillisecondsPerStep, timing.Gflops);
        }

        var runs = new List<TrainedRun>();
        if (train)
            foreach (var model in TrainedModels)
            foreach (var engine in Engines)
            {
                Log.Information("Training {Model} on {Engine}...", model, SpecNames.Of(engine));
                var folder = ChildRuns.Train(SpecPath(model), Path.Combine(repositoryRoot, "results", "bench-engines"),
                    [$"engine={SpecNames.Of(engine)}", .. overrides]);
                var summary = RunSummary.Read(RunFolder.At(folder).Summary);
                runs.Add(new TrainedRun(model, SpecNames.Of(engine), folder, summary));
                Log.Information("{Model} on {Engine}: {Seconds:F2} s/epoch, test accuracy {Accuracy:F4}",
                    model, SpecNames.Of(engine), summary.SecondsPerEpoch, summary.TestMetrics?.GetValueOrDefault(MetricKey.Of(MetricKind.Accuracy, DataSplit.Test).Name));
            }

        Directory.CreateDirectory(Path.Combine(docsFolder, "benchmarks"));
        AtomicFile.WriteAllText(Path.Combine(docsFolder, "benchmarks", "engines.json"), JsonSerializer.Serialize(
            new { started, machine = MachineInfo.Current(), command = commandLine, peakGflops = peak, timings, runs = runs.Select(r => new { r.Model, r.Engine, r.Summary }) },
            RunSummary.JsonOptions));
        AtomicFile.WriteAllText(Path.Combine(docsFolder, "BENCHMARKS.md"),
            Report(commandLine, started, peak, engines.For(EngineKind.Torch).RecurrentKernels, timings, runs));
        Log.Information("Wrote {Report}", Path.Combine(docsFolder, "BENCHMARKS.md"));
        return runs.All(r => r.Summary.Status == RunStatus.Completed) ? ExitCodes.Success : ExitCodes.RunFailed;
    }

    private string SpecPath(string model) => Path.Combine(repositoryRoot, "experiments", "imdb", $"{model}.yaml");

    /// <summary>Mean time of training steps on one fixed random batch, after a warm-up step; at least 3 steps and 2 s.</summary>
    private StepTiming TimeStep(string cell, int units, EngineKind engine)
    {
        var loaded = SpecLoader.LoadFile(SpecPath("lstm"), [$"model[1]={{type: {cell}, units: {units}}}", $"engine={SpecNames.Of(engine)}"]);
        var batch = BenchmarkBatches.RandomTokens(loaded);
        using var model = engines.For(engine).Build(loaded.Plan, loaded.Spec.Training, DeviceKind.Cpu, loaded.Spec.Seed);
        var milliseconds = BenchmarkBatches.MeanMilliseconds(() => model.TrainStep(batch));
        return new StepTiming(cell, units, SpecNames.Of(engine), milliseconds,
            TrainingFlops(loaded.Plan, loaded.Spec.Training.BatchSize) / milliseconds / 1e6);
    }

    /// <summary>
    /// Matrix-product FLOPs of one training step: per example and step, the forward pass does 2·G·H·(F + H)
    /// (input and recurrent projections of G gates), the backward pass twice that (gradients of inputs, state and
    /// both kernels). Element-wise gate maths and the dense layer are left out, so this undercounts slightly.
    /// </summary>
    public static double TrainingFlops(ModelPlan plan, int batch)
    {
        var flops = 0.0;
        foreach (var layer in plan.Layers)
        {
            var (spec, directions) = layer.Spec switch
            {
                BidirectionalLayerSpec b => (b.Layer, 2),
                RecurrentLayerSpec r => (r, 1),
                _ => ((RecurrentLayerSpec?)null, 0),
            };
            if (spec is null) continue;
            flops += directions * 6.0 * spec.Gates * spec.Units * (layer.Input.Features + spec.Units) * (layer.Input.Steps ?? 1);
        }
        return flops * batch;
    }

    private static string Report(string command, DateTime started, double peak, string torchKernels,
        IReadOnlyList<StepTiming> timings, IReadOnlyList<TrainedRun> runs)
    {
        var F = BenchmarkReport.Number;
        var sb = BenchmarkReport.Start("Engine benchmarks: TorchSharp against the scratch engine", started, command);
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"Measured float32 peak of this machine: **{peak:F1} GFLOP/s** (all cores running independent {PeakFlops.VectorBits}-bit FMA chains)."));
        sb.AppendLine();
        sb.AppendLine($"TorchSharp engine's recurrent kernels: **{torchKernels}**. What that choice costs against libtorch's default");
        sb.AppendLine("(oneDNN, whose LSTM inference is wrong on some CPUs) is measured by `./rnnrunner bench kernels`: [LSTM-KERNELS.md](LSTM-KERNELS.md).");
        if (runs.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("## IMDB, trained in full on each engine");
            sb.AppendLine();
            sb.AppendLine("The specs in `experiments/imdb/`, unchanged but for `engine:` (same seed, data, split and recipe). Seconds per epoch");
            sb.AppendLine("include the 5,000-review validation pass; test accuracy is on all 25,000 test reviews with the best epoch's weights.");
            sb.AppendLine();
            sb.AppendLine("| model | engine | s / epoch | scratch ÷ torch | epochs run | best epoch | best val accuracy | test accuracy |");
            sb.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var r in runs)
            {
                var torch = runs.FirstOrDefault(o => o.Model == r.Model && o.Engine == "torch")?.Summary.SecondsPerEpoch;
                var ratio = r.Engine == "scratch" && torch is { } t && r.Summary.SecondsPerEpoch is { } s ? s / t : (double?)null;
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {r.Model} | {r.Engine} | {F(r.Summary.SecondsPerEpoch, "F2")} | {(ratio is { } x ? $"**{x:F2}×**" : "")} | {r.Summary.EpochsRun} | {r.Summary.BestEpoch} | {F(r.Summary.BestMetrics?.GetValueOrDefault(MetricKey.Of(MetricKind.Accuracy, DataSplit.Validation).Name), "F4")} | {F(r.Summary.TestMetrics?.GetValueOrDefault(MetricKey.Of(MetricKind.Accuracy, DataSplit.Test).Name), "F4")} |"));
            }
        }
        sb.AppendLine();
        sb.AppendLine("## One training step by units");
        sb.AppendLine();
        sb.AppendLine("Embedding 10000×32 → recurrent layer → dense(1), batch 128 × 500 steps, RMSprop, no dropout; the mean of at least");
        sb.AppendLine("3 steps (and 2 s) after a warm-up step, on one fixed batch. GFLOP/s counts the recurrent layer's matrix products");
        sb.AppendLine("(6·G·H·(F+H) per example-step for G gates: forward, then input, state and kernel gradients).");
        sb.AppendLine();
        sb.AppendLine("| cell | units | torch ms / step | scratch ms / step | scratch ÷ torch | torch GFLOP/s (% of peak) | scratch GFLOP/s (% of peak) |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var group in timings.GroupBy(t => (t.Cell, t.Units)))
        {
            var torch = group.First(t => t.Engine == "torch");
            var scratch = group.First(t => t.Engine == "scratch");
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.Cell} | {group.Key.Units} | {torch.MillisecondsPerStep:F0} | {scratch.MillisecondsPerStep:F0} | **{scratch.MillisecondsPerStep / torch.MillisecondsPerStep:F2}×** | {torch.Gflops:F1} ({100 * torch.Gflops / peak:F0} %) | {scratch.Gflops:F1} ({100 * scratch.Gflops / peak:F0} %) |"));
        }
        sb.AppendLine();
        sb.AppendLine("**How the ratio moves with units.** At 32 units one time step's work is a few 64×32 products and a few thousand");
        sb.AppendLine("gate values, so libtorch spends most of a step in per-operation dispatch, allocation and its unfused cells, and");
        sb.AppendLine("reaches a few per cent of peak; the scratch engine's fused loops and register-blocked kernels do the same maths in");
        sb.AppendLine("a fraction of the time. As units grow, the matrix products dominate, libtorch's BLAS closes in, and at 256 units");
        sb.AppendLine("the scratch engine and libtorch's fused LSTM both run at about 40 % of this machine's peak and are about even;");
        sb.AppendLine("libtorch's simple RNN and GRU, whose cells it does not fuse, stay behind. How the scratch engine gets there:");
        sb.AppendLine("[SCRATCH-ENGINE.md](SCRATCH-ENGINE.md).");
        return sb.ToString();
    }
}
