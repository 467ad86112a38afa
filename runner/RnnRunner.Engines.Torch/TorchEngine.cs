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
        ["allocator"] = KeepsFreedMemory ? "glibc, freed memory kept for reuse" : "system defaults",
        ["threads"] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{get_num_threads()} intra-op, {get_num_interop_threads()} inter-op"),
    };

    public string RecurrentKernels => _kernels switch
    {
        Torch.RecurrentKernels.Aten => "aten (libtorch's native cells; oneDNN off)",
        Torch.RecurrentKernels.OneDnn => "onednn (LSTM on oneDNN's primitives, chosen by CPU)",
        _ => "unknown (libtorch's defaults)",
    };

    /// <summary>Why <paramref name="device"/> cannot be used here, or null when it can.</summary>
    public string? DeviceProblem(DeviceKind device) =>
        device == DeviceKind.Cuda && !cuda.is_available()
            ? "device 'cuda' was requested but no CUDA build of libtorch or no GPU is available (this build ships libtorch-cpu); use device: cpu"
            : null;

    private readonly RecurrentKernels _kernels;

    /// <param name="threads">libtorch's CPU threads; null keeps its default (one per core).</param>
    /// <param name="oneDnn">
    /// Run LSTMs on oneDNN instead of ATen's cells; null: only when $RNNRUNNER_LSTM_KERNELS is <c>onednn</c>. For
    /// benchmarks and diagnosis of that path alone: oneDNN's inference kernel is wrong on some CPUs
    /// (see <see cref="LibTorchContext"/>), and summary.json says which path a run took.
    /// </param>
    public TorchEngine(int? threads = null, bool? oneDnn = null)
    {
        FlushesDenormals = LibTorchContext.EnsureFlushToZero();
        KeepsFreedMemory = LibTorchContext.EnsureFreedMemoryKept();
        _kernels = LibTorchContext.UseOneDnn(oneDnn ?? Environment.GetEnvironmentVariable("RNNRUNNER_LSTM_KERNELS") == "onednn");
        if (threads is { } n) set_num_threads(n);
    }

    /// <summary>Whether subnormal floats are flushed to zero (a large speed-up for recurrent backward passes).</summary>
    public bool FlushesDenormals { get; }

    /// <summary>Whether glibc keeps freed memory for reuse instead of returning it to the kernel (see <see cref="LibTorchContext"/>).</summary>
    public bool KeepsFreedMemory { get; }

    public ITrainableModel Build(ModelPlan plan, TrainingSpec training, DeviceKind device, int seed)
    {
        if (DeviceProblem(device) is { } problem) throw new InvalidOperationException(problem);
        // libtorch's generator draws the dropout masks; initial weights and data order are seeded separately.
        manual_seed(seed);
        return new TorchTrainableModel(plan, training, device == DeviceKind.Cuda ? CUDA : CPU, seed);
    }
}
