using System.Runtime.InteropServices;

namespace RnnRunner.Engines.Scratch.Maths;

/// <summary>
/// Sets flush-to-zero and denormals-are-zero (MXCSR bits 15 and 6) on the calling thread, as libtorch does for
/// the TorchSharp engine. Why: a gradient that enters only at the last of 500 time steps decays into subnormal
/// floats, which x86 processes up to 100× slower. .NET has no MXCSR intrinsic, so this goes through glibc's
/// fegetenv/fesetenv, whose x86-64 fenv_t carries MXCSR at byte 28.
/// </summary>
internal static partial class FlushToZero
{
    private const int MxcsrOffset = 28;
    private const uint FlushToZeroBit = 1u << 15, DenormalsAreZeroBit = 1u << 6;

    /// <summary>True when the bits are now set on this thread; false on platforms without glibc x86-64.</summary>
    public static unsafe bool EnableOnCurrentThread()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return false;
        try
        {
            var environment = stackalloc byte[32];
            if (FeGetEnv(environment) != 0) return false;
            *(uint*)(environment + MxcsrOffset) |= FlushToZeroBit | DenormalsAreZeroBit;
            return FeSetEnv(environment) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libm.so.6", EntryPoint = "fegetenv")]
    private static unsafe partial int FeGetEnv(byte* environment);

    [LibraryImport("libm.so.6", EntryPoint = "fesetenv")]
    private static unsafe partial int FeSetEnv(byte* environment);
}
