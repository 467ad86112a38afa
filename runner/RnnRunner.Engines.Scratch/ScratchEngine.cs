using RnnRunner.Core.Engines;
using RnnRunner.Core.Settings;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Training;

namespace RnnRunner.Engines.Scratch;

/// <summary>
/// The hand-written engine: every forward step and every line of backpropagation through time is C# in
/// <c>Cells/</c> and <c>Layers/</c>. Runs on the CPU, one batch shard per core.
/// </summary>
public sealed class ScratchEngine : IEngine, IDisposable
{
    private readonly Lazy<ShardWorkers> _workers;

    /// <param name="threads">Worker threads (shards per batch); null: one per core this process may use.</param>
    /// <param name="switches">The environment switches (for the cores a Slurm job was given); null: this process's.</param>
    public ScratchEngine(int? threads = null, Switchboard? switches = null)
    {
        Threads = Math.Max(1, threads ?? ThreadChoice.Available(switches ?? Switchboard.Current));
        _workers = new Lazy<ShardWorkers>(() => new ShardWorkers(Threads));
    }

    public EngineKind Kind => EngineKind.Scratch;

    public int Threads { get; }

    public IReadOnlyDictionary<string, string> Versions => new Dictionary<string, string>
    {
        ["scratch"] = typeof(ScratchEngine).Assembly.GetName().Version?.ToString(3) ?? "unknown",
        ["threads"] = Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["simd"] = System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "avx2" : "none",
        ["flush_denormals"] = _workers.Value.FlushesDenormals ? "on" : "off",
    };

    public string RecurrentKernels => Maths.Gemm.Path;

    /// <summary>Why <paramref name="device"/> cannot be used by this engine, or null when it can.</summary>
    public string? DeviceProblem(DeviceKind device) =>
        device == DeviceKind.Cpu ? null : "the scratch engine runs on the CPU only; use device: cpu or engine: torch";

    /// <summary>The scratch engine has one way to run a plan: its GEMM path, one shard per thread.</summary>
    public EngineVariant DefaultVariant => new(SpecNames.Of(Kind), Threads, "scratch");

    public ITrainableModel Build(ModelPlan plan, TrainingSpec training, DeviceKind device, int seed, EngineVariant? variant = null)
    {
        if (DeviceProblem(device) is { } problem) throw new InvalidOperationException(problem);
        return new ScratchTrainableModel(plan, training, seed, _workers.Value);
    }

    public void Dispose()
    {
        if (_workers.IsValueCreated) _workers.Value.Dispose();
    }
}
