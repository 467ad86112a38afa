using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RnnRunner.Bench;

/// <summary>
/// This machine's float32 peak, measured rather than looked up (a VM's clock and vector units are not always
/// what the model name says): every core runs independent chains of fused multiply-adds from registers, 512 bits
/// wide where the runtime uses AVX-512, else 256.
/// </summary>
public static class PeakFlops
{
    /// <summary>Measured peak GFLOP/s over <paramref name="threads"/> threads (FMA = 2 FLOPs per lane).</summary>
    public static double Measure(int threads)
    {
        const long iterations = 40_000_000;
        var clock = Stopwatch.StartNew();
        var sink = new float[threads];
        var wide = Vector512.IsHardwareAccelerated;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => sink[t] = wide ? Chains512(iterations) : Chains(iterations));
        var seconds = clock.Elapsed.TotalSeconds;
        // 10 chains × lanes × 2 FLOPs per iteration.
        var lanes = wide ? Vector512<float>.Count : Vector256<float>.Count;
        return threads * iterations * 10.0 * lanes * 2 / seconds / 1e9 + 0 * sink.Sum();
    }

    /// <summary>The vector width the peak was measured at, in bits.</summary>
    public static int VectorBits => Vector512.IsHardwareAccelerated ? 512 : 256;

    private static float Chains512(long iterations)
    {
        var a0 = Vector512.Create(1f); var a1 = a0; var a2 = a0; var a3 = a0; var a4 = a0;
        var a5 = a0; var a6 = a0; var a7 = a0; var a8 = a0; var a9 = a0;
        var x = Vector512.Create(0.999999f);
        var y = Vector512.Create(1e-7f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, x, y); a1 = Vector512.FusedMultiplyAdd(a1, x, y); a2 = Vector512.FusedMultiplyAdd(a2, x, y);
            a3 = Vector512.FusedMultiplyAdd(a3, x, y); a4 = Vector512.FusedMultiplyAdd(a4, x, y); a5 = Vector512.FusedMultiplyAdd(a5, x, y);
            a6 = Vector512.FusedMultiplyAdd(a6, x, y); a7 = Vector512.FusedMultiplyAdd(a7, x, y); a8 = Vector512.FusedMultiplyAdd(a8, x, y);
            a9 = Vector512.FusedMultiplyAdd(a9, x, y);
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9).GetElement(0);
    }

    private static float Chains(long iterations)
    {
        // Ten independent accumulators cover the FMA latency (4–5 cycles) on two FMA ports.
        var a0 = Vector256.Create(1f); var a1 = a0; var a2 = a0; var a3 = a0; var a4 = a0;
        var a5 = a0; var a6 = a0; var a7 = a0; var a8 = a0; var a9 = a0;
        var x = Vector256.Create(0.999999f);
        var y = Vector256.Create(1e-7f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Fma(a0, x, y); a1 = Fma(a1, x, y); a2 = Fma(a2, x, y); a3 = Fma(a3, x, y); a4 = Fma(a4, x, y);
            a5 = Fma(a5, x, y); a6 = Fma(a6, x, y); a7 = Fma(a7, x, y); a8 = Fma(a8, x, y); a9 = Fma(a9, x, y);
        }
        return (a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9).GetElement(0);
    }

    private static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        System.Runtime.Intrinsics.X86.Fma.IsSupported ? System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(a, b, c) : a * b + c;
}
