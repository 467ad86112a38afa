using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch;

/// <summary>
/// Turns on flush-to-zero / denormals-are-zero for libtorch, as TensorFlow does by default on CPU.
/// Why: when a loss depends only on the last time step, the gradient flowing back through hundreds of LSTM
/// steps decays into subnormal floats, which x86 processes up to 100× slower. Measured here (batch 128, 500
/// steps, 32 units): LSTM backward 227 → 42 ms, GRU 149 → 61 ms, SimpleRNN 41 → 16 ms. Values below ~1e-38
/// become 0, which changes no result that matters.
/// TorchSharp does not wrap torch.set_flush_denormal, so this calls libtorch's exported C++ functions
/// <c>at::globalContext()</c> and <c>at::Context::setFlushDenormal(bool)</c>. The setting is per thread and
/// inherited by threads created later, so it must run before libtorch starts its worker threads.
/// </summary>
internal static class DenormalFlushing
{
    private static readonly Lazy<bool> Enabled = new(Enable);

    /// <summary>Enables flushing on the calling thread (and threads it creates later); false where unsupported.</summary>
    public static bool EnsureEnabled() => Enabled.Value;

    private static unsafe bool Enable()
    {
        try
        {
            InitializeDeviceType(TorchSharp.DeviceType.CPU); // loads libtorch_cpu
            var library = NativeLibrary.Load("libtorch_cpu.so", typeof(TorchSharp.torch).Assembly, null);
            var globalContext = (delegate* unmanaged<nint>)NativeLibrary.GetExport(library, "_ZN2at13globalContextEv");
            var setFlushDenormal = (delegate* unmanaged<nint, byte, byte>)NativeLibrary.GetExport(library, "_ZN2at7Context16setFlushDenormalEb");
            return setFlushDenormal(globalContext(), 1) != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            Serilog.Log.Warning("Could not enable flush-to-zero in libtorch ({Message}); recurrent backward passes may be slower", e.Message);
            return false;
        }
    }
}
