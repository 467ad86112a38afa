using RnnRunner.Core.Engines;
using RnnRunner.Core.Settings;
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
        ["blas"] = LibTorchContext.BlasCodePath(),
        ["flush_denormals"] = FlushesDenormals ? "on" : "off",
        ["allocator"] = KeepsFreedMemory ? "glibc, freed memory kept for reuse" : "system defaults",
        ["threads"] = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{get_num_threads()} intra-op, {get_num_interop_threads()} inter-op, waits {LibTorchContext.EnsureThreadsWaitPassively(_switches)}"),
    };

    public string RecurrentKernels => _kernels switch
    {
        Torch.RecurrentKernels.Aten => "aten (libtorch's native cells; oneDNN off)",
        Torch.RecurrentKernels.OneDnn => "onednn (LSTM on oneDNN's primitives, chosen by CPU)",
        _ => "unknown (libtorch's defaults)",
    };

    /// <summary>
    /// LSTMs trained on oneDNN's primitives and evaluated on ATen's cells (oneDNN's inference kernel is wrong on
    /// some CPUs: <see cref="LibTorchContext"/>), pinned with $RNNRUNNER_LSTM_KERNELS=onednn-training for diagnosis —
    /// never chosen by calibration: its steps alone are faster than ATen's, but whole runs fragment the heap in ways a
    /// few calibration steps cannot see (docs/LSTM-KERNELS.md has the measurements).
    /// </summary>
    public const string OneDnnTraining = "onednn-training";

    public EngineVariant DefaultVariant => new(SpecNames.Of(Kind), _threads, _defaultKernels);

    /// <summary>
    /// One variant: the threads <see cref="ThreadChoice"/> gives the model (one for steps too small to split, else every
    /// core), or those --threads pinned. Threads are never chosen by timing: that followed the machine's load, and a
    /// speed decision must not change a run's numbers.
    /// </summary>
    public IReadOnlyList<EngineVariant> Variants(ModelPlan plan, TrainingSpec training, DeviceKind device) =>
        [device != DeviceKind.Cpu || _pinnedThreads is not null ? DefaultVariant
            : DefaultVariant with { Threads = ThreadChoice.For(plan, training.BatchSize, _threads) }];

    public string RecurrentKernelsOf(EngineVariant variant) => variant.Kernels == OneDnnTraining
        ? "onednn-training (LSTM training on oneDNN's primitives, evaluation on ATen's cells; RNNRUNNER_LSTM_KERNELS)"
        : RecurrentKernels;

    /// <summary>Why <paramref name="device"/> cannot be used here, or null when it can.</summary>
    public string? DeviceProblem(DeviceKind device) =>
        device == DeviceKind.Cuda && !cuda.is_available()
            ? "device 'cuda' was requested but no CUDA build of libtorch or no GPU is available (this build ships libtorch-cpu); use device: cpu"
            : null;

    private readonly RecurrentKernels _kernels;
    private readonly Switchboard _switches;

    /// <summary>libtorch's own choice of intra-op threads (one per core, or $OMP_NUM_THREADS), before anything set it.</summary>
    private static readonly Lazy<int> LibTorchDefaultThreads = new(get_num_threads);
    private readonly int? _pinnedThreads;
    private readonly int _threads;
    private readonly string _defaultKernels;

    /// <param name="threads">libtorch's CPU threads; null keeps its default (one per core).</param>
    /// <param name="oneDnn">
    /// Run LSTMs on oneDNN instead of ATen's cells; null: only when the switches say <c>onednn</c>
    /// ($RNNRUNNER_LSTM_KERNELS). For benchmarks and diagnosis of that path alone: oneDNN's inference kernel is wrong on
    /// some CPUs (see <see cref="LibTorchContext"/>), and summary.json says which path a run took.
    /// <c>onednn-training</c> runs <see cref="OneDnnTraining"/>, likewise.
    /// </param>
    /// <param name="switches">The environment switches (kernels, waits, allocator, Slurm's cores); null: this process's.</param>
    public TorchEngine(int? threads = null, bool? oneDnn = null, Switchboard? switches = null)
    {
        _switches = switches ?? Switchboard.Current;
        LibTorchContext.EnsureThreadsWaitPassively(_switches);
        FlushesDenormals = LibTorchContext.EnsureFlushToZero(_switches);
        _kernels = LibTorchContext.UseOneDnn(oneDnn ?? _switches.LstmKernels == LstmKernelSwitch.OneDnn);
        var allCores = Math.Min(LibTorchDefaultThreads.Value, ThreadChoice.Available(_switches)); // read before any set_num_threads: this one's or a Build's
        if (threads is { } n) set_num_threads(n);
        _pinnedThreads = threads;
        _defaultKernels = _kernels == Torch.RecurrentKernels.OneDnn ? "onednn"
            : _switches.LstmKernels == LstmKernelSwitch.OneDnnTraining ? OneDnnTraining : "aten";
        // Not beside oneDNN: its workspaces fragment a heap that is never trimmed (docs/LSTM-KERNELS.md).
        KeepsFreedMemory = _defaultKernels == "aten" && _switches.KeepFreedMemory && LibTorchContext.EnsureFreedMemoryKept();
        _threads = threads ?? allCores;
    }

    /// <summary>Whether subnormal floats are flushed to zero (a large speed-up for recurrent backward passes).</summary>
    public bool FlushesDenormals { get; }

    /// <summary>Whether glibc keeps freed memory for reuse instead of returning it to the kernel (see <see cref="LibTorchContext"/>).</summary>
    public bool KeepsFreedMemory { get; }

    public ITrainableModel Build(ModelPlan plan, TrainingSpec training, DeviceKind device, int seed, EngineVariant? variant = null)
    {
        if (DeviceProblem(device) is { } problem) throw new InvalidOperationException(problem);
        variant ??= Variants(plan, training, device)[0];
        if (variant.Kind != Kind) throw new ArgumentException($"{variant} is not a variant of the torch engine", nameof(variant));
        set_num_threads(variant.Threads); // process-wide, like the kernels switch: one model trains at a time
        // libtorch's generator draws the dropout masks; initial weights and data order are seeded separately.
        manual_seed(seed);
        return new TorchTrainableModel(plan, training, device == DeviceKind.Cuda ? CUDA : CPU, seed, oneDnnTraining: variant.Kernels == OneDnnTraining,
            maskedPath: _switches.MaskedRnn);
    }
}
