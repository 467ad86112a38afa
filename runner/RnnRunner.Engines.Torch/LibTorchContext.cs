using System.Runtime.InteropServices;
using RnnRunner.Core.Settings;
using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch;

/// <summary>
/// The process-wide libtorch switches RnnRunner depends on, set through libtorch's exported C++ API
/// (<c>at::globalContext()</c>) because TorchSharp wraps neither.
/// <list type="bullet">
/// <item><b>Flush-to-zero</b> (<c>at::Context::setFlushDenormal</c>), as TensorFlow does by default on CPU: when a
/// loss depends only on the last time step, the gradient flowing back through hundreds of steps decays into
/// subnormal floats, which x86 processes far slower (docs/PYTORCH-REFERENCE.md has the measurement).
/// The setting is per thread and inherited by threads created later, so it runs before libtorch starts its pool.</item>
/// <item><b>oneDNN off for recurrent layers</b> (<c>at::Context::setUserEnabledMkldnn(false)</c>): libtorch sends
/// only nn.LSTM to oneDNN (GRU and RNN always run ATen's own cells). oneDNN 3.7.1 (libtorch 2.10) picks its kernel by
/// CPU: on AMD EPYC (Zen 4/5, AVX-512 + bf16) inference runs <c>rnn,brgemm:avx512_core,forward_inference</c>, which
/// computes wrong LSTM outputs for some hidden sizes, while training runs the slow <c>ref</c> kernel. ATen's native LSTM is the same code on every CPU, is
/// checked against a float64 reference in the tests, and trains faster here (docs/LSTM-KERNELS.md).</item>
/// <item><b>Freed memory kept for reuse</b> (glibc's <c>mallopt</c>: no mmap for large blocks, no trimming): libtorch
/// allocates every tensor with malloc, and glibc serves blocks above its mmap threshold with fresh mappings that it
/// unmaps on free, so a recurrent step's buffers (often megabytes) are page-faulted and zeroed by the kernel again at
/// every step, and on virtual machines a page fault is expensive (docs/PYTORCH-REFERENCE.md measures what keeping
/// freed memory saves). The cost is a process that holds on to
/// its peak heap until it exits, which a training run reaches in its first step anyway.
/// <c>RNNRUNNER_MALLOC=system</c> leaves glibc's defaults, to measure the difference.</item>
/// <item><b>Waiting threads sleep</b> (<c>OMP_WAIT_POLICY=PASSIVE</c> for libtorch's bundled libgomp, unless the user
/// set a policy): by default a thread that reaches a barrier first spins for its peer — 300,000 rounds — and beside
/// other work its peer is often descheduled, so the spinning steals the very core the peer needs. libgomp reads the policy once, when it is loaded, so it is set in the
/// C environment before libtorch is (docs/CONTENTION.md).</item>
/// </list>
/// </summary>
public static partial class LibTorchContext
{
    private static readonly Lazy<bool> FlushesDenormals = new(EnableFlushToZero);
    private static readonly Lazy<bool> KeepsFreedMemory = new(KeepFreedMemory);
    private static readonly object Gate = new();

    /// <summary>
    /// Makes libgomp's idle threads sleep instead of spinning (see above), unless $OMP_WAIT_POLICY says otherwise; call
    /// before anything loads libtorch. Returns the policy in force, for summary.json.
    /// </summary>
    public static string EnsureThreadsWaitPassively(Switchboard switches)
    {
        lock (Gate) return _waitPolicy ??= SetPassiveWaits(switches); // once per process: libgomp reads it once, at load
    }

    private static string? _waitPolicy;

    private static string SetPassiveWaits(Switchboard switches)
    {
        if (switches.OmpWaitPolicy is { } chosen) return $"{chosen.ToLowerInvariant()} ($OMP_WAIT_POLICY)";
        if (switches.GompSpinCount is { } spins) return $"spinning {spins} rounds ($GOMP_SPINCOUNT)";
        if (!OperatingSystem.IsLinux()) return "libgomp's default";
        // .NET's SetEnvironmentVariable changes only its own copy on Unix; libgomp reads the C library's environment.
        Glibc.setenv("OMP_WAIT_POLICY", "PASSIVE", 0); // .NET's own copy stays the user's: child processes decide for themselves
        return "passive";
    }

    /// <summary>Turns flush-to-zero on for the calling thread and threads it creates later; false where unsupported.</summary>
    public static bool EnsureFlushToZero(Switchboard switches)
    {
        EnsureThreadsWaitPassively(switches); // first: flush-to-zero loads libtorch, and libgomp with it
        return FlushesDenormals.Value;
    }

    /// <summary>Keeps freed heap memory for reuse (see above); false where the C library is not glibc. Ask only when the switches allow it ($RNNRUNNER_MALLOC).</summary>
    public static bool EnsureFreedMemoryKept() => KeepsFreedMemory.Value;

    /// <summary>
    /// Routes nn.LSTM through oneDNN (<paramref name="enabled"/>) or ATen's native cells (the default, see above).
    /// libtorch reads the switch at every call, so it takes effect from the next forward pass.
    /// </summary>
    public static unsafe RecurrentKernels UseOneDnn(bool enabled)
    {
        lock (Gate)
        {
            if (Export("_ZN2at7Context20setUserEnabledMkldnnEb") is not { } setter) return RecurrentKernels.Unknown;
            ((delegate* unmanaged<nint, byte, void>)setter)(GlobalContext(), enabled ? (byte)1 : (byte)0);
            return enabled ? RecurrentKernels.OneDnn : RecurrentKernels.Aten;
        }
    }

    /// <summary>
    /// libtorch's BLAS (oneMKL, linked in statically) and which code path its matrix products take, for summary.json:
    /// "per CPU" by default — on Intel its AVX-512 kernels, on AMD its AVX2 <c>zen</c> ones, which sum in another
    /// order — or "compatible" (generic code, the same on every x86-64 CPU) under <c>MKL_CBWR=COMPATIBLE</c>, which
    /// <c>make test</c>'s scalar rerun sets. MKL_CBWR's ISA branches (AVX2, AVX512) are Intel-only: on AMD oneMKL
    /// falls back to "auto", which this reports as it is.
    /// </summary>
    public static string BlasCodePath() => BlasPath.Value;

    private static readonly Lazy<string> BlasPath = new(ReadBlasCodePath);

    private static unsafe string ReadBlasCodePath()
    {
        if (Export("MKL_Get_Version_String") is not { } version || Export("mkl_serv_cbwr_get") is not { } cbwrGet) return "unknown";
        var text = new byte[256];
        fixed (byte* buffer = text) ((delegate* unmanaged<byte*, int, void>)version)(buffer, text.Length);
        var release = System.Text.RegularExpressions.Regex.Match(System.Text.Encoding.ASCII.GetString(text), @"Version (\d+\.\d+)").Groups[1].Value;
        const int Branch = 1; // MKL_CBWR_BRANCH: ask for the code-path setting alone
        var path = ((delegate* unmanaged<int, int>)cbwrGet)(Branch) switch
        {
            1 => "kernels chosen per CPU", // MKL_CBWR_BRANCH_OFF, the default
            2 => "auto (the same kernels on every run on this CPU)",
            3 => "compatible (generic code, the same on every x86-64 CPU)",
            var other => $"MKL_CBWR branch {other}",
        };
        return $"oneMKL {release}, {path}";
    }

    private static unsafe bool EnableFlushToZero()
    {
        if (Export("_ZN2at7Context16setFlushDenormalEb") is not { } setter) return false;
        return ((delegate* unmanaged<nint, byte, byte>)setter)(GlobalContext(), 1) != 0;
    }

    /// <summary>
    /// oneDNN on for LSTMs until disposed, then ATen's cells again: a training step on the <c>onednn-training</c>
    /// path (<see cref="TorchEngine.OneDnnTraining"/>), so evaluation never runs oneDNN's inference kernel.
    /// </summary>
    public static IDisposable OneDnnWhileTraining()
    {
        UseOneDnn(true);
        return new Restore(() => UseOneDnn(false));
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    private static bool KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux()) return false;
        const int TrimThreshold = -1, MmapMax = -4; // glibc's M_TRIM_THRESHOLD and M_MMAP_MAX
        try
        {
            return Glibc.mallopt(MmapMax, 0) == 1 && Glibc.mallopt(TrimThreshold, int.MaxValue) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (musl has no mallopt): its allocator's defaults stay
        }
    }

    private static partial class Glibc
    {
        [LibraryImport("libc.so.6")]
        internal static partial int mallopt(int parameter, int value);

        [LibraryImport("libc.so.6", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int setenv(string name, string value, int overwrite);
    }

    private static unsafe nint GlobalContext() =>
        ((delegate* unmanaged<nint>)Export("_ZN2at13globalContextEv")!.Value)();

    /// <summary>A function exported by libtorch_cpu, or null (with a warning) where this build lacks it.</summary>
    private static nint? Export(string symbol)
    {
        try
        {
            InitializeDeviceType(TorchSharp.DeviceType.CPU); // loads libtorch_cpu
            var library = NativeLibrary.Load("libtorch_cpu.so", typeof(TorchSharp.torch).Assembly, null);
            return NativeLibrary.GetExport(library, symbol);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            Serilog.Log.Warning("libtorch lacks {Symbol} ({Message}); RnnRunner's numerics or speed may differ", symbol, e.Message);
            return null;
        }
    }
}

/// <summary>Which implementation runs a TorchSharp run's recurrent layers; recorded in summary.json.</summary>
public enum RecurrentKernels
{
    Unknown,
    /// <summary>ATen's native recurrent cells (GEMMs plus fused gate kernels), the same on every CPU.</summary>
    Aten,
    /// <summary>oneDNN's RNN primitives for LSTMs (kernel chosen by CPU), ATen's cells for GRU and SimpleRNN.</summary>
    OneDnn,
}
