using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;
using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch;

/// <summary>The TorchSharp (libtorch) engine.</summary>
public sealed class TorchEngine : IEngine
{
    public EngineKind Kind => EngineKind.Torch;

    public IReadOnlyDictionary<string, string> Versions => new Dictionary<string, string>
    {
        ["TorchSharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3) ?? "unknown",
        ["libtorch"] = __version__,
        ["flush_denormals"] = FlushesDenormals ? "on" : "off",
    };

    /// <summary>Why <paramref name="device"/> cannot be used here, or null when it can.</summary>
    public static string? DeviceProblem(DeviceKind device) =>
        device == DeviceKind.Cuda && !cuda.is_available()
            ? "device 'cuda' was requested but no CUDA build of libtorch or no GPU is available (this build ships libtorch-cpu); use device: cpu"
            : null;

    /// <param name="threads">libtorch's CPU threads; null keeps its default (one per core).</param>
    public TorchEngine(int? threads = null)
    {
        FlushesDenormals = DenormalFlushing.EnsureEnabled();
        if (threads is { } n) set_num_threads(n);
    }

    /// <summary>Whether subnormal floats are flushed to zero (a large speed-up for recurrent backward passes).</summary>
    public bool FlushesDenormals { get; }

    public ITrainableModel Build(ModelPlan plan, TrainingSpec training, DeviceKind device, int seed)
    {
        if (DeviceProblem(device) is { } problem) throw new InvalidOperationException(problem);
        // libtorch's generator draws the dropout masks; initial weights and data order are seeded separately.
        manual_seed(seed);
        return new TorchTrainableModel(plan, training, device == DeviceKind.Cuda ? CUDA : CPU, seed);
    }
}
