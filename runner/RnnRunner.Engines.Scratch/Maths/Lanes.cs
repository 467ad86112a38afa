using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnRunner.Engines.Scratch.Maths;

/// <summary>
/// Loads and stores of SIMD lanes for the cells' fused element-wise loops, which run
/// <c>for (e = 0; e + Lanes.Width &lt;= n; e += Lanes.Width)</c> and finish the last few elements in scalars.
/// </summary>
internal static class Lanes<T>
{
    /// <summary>
    /// The width that makes every vector loop run zero times: larger than any span here, yet small enough that
    /// <c>j + 4 * width</c> cannot overflow (int.MaxValue did, and without AVX2 the GEMM then read out of bounds).
    /// </summary>
    public const int None = 1 << 28;

    /// <summary>Elements per vector: 8 floats or 4 doubles with AVX2; <see cref="None"/> where SIMD is missing, so only the scalar tail runs.</summary>
    public static readonly int Width = Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported ? Vector256<T>.Count : None;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ReadOnlySpan<T> span, int at) =>
        Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)at);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Span<T> span, int at, Vector256<T> value) =>
        value.StoreUnsafe(ref MemoryMarshal.GetReference(span), (nuint)at);
}
