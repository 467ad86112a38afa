using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RnnRunner.Engines.Scratch.Maths;

/// <summary>
/// σ and tanh on SIMD lanes, for the cells' fused loops. Why not TensorPrimitives: its Sigmoid/Tanh take a whole
/// span per call (one pass per gate, 5–10 µs per 2,048 floats measured here), and .NET's Vector256.Exp for
/// float is several times slower again on this machine. The float path is the classic Cephes expf: e^x =
/// 2^n·e^r with n = round(x/ln 2), |r| ≤ ln2/2 and a degree-6 polynomial for e^r (error ≈ 1 ulp). Doubles
/// (used by gradient checks, where accuracy matters and speed does not) go through the runtime's Exp.
/// </summary>
internal static class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sigmoid<T>(Vector256<T> x) where T : IFloatingPointIeee754<T> =>
        Reciprocal(Vector256<T>.One + Exp(-x));

    /// <summary>
    /// 1/x. For floats: the processor's 12-bit estimate refined by one Newton step (r ← r·(2 − x·r), ≈ 23 bits),
    /// which issues every cycle where a true division blocks the divider for 5–10; the gate loops do five per element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Reciprocal<T>(Vector256<T> x) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && System.Runtime.Intrinsics.X86.Avx.IsSupported)
        {
            var v = x.AsSingle();
            var r = System.Runtime.Intrinsics.X86.Avx.Reciprocal(v);
            return (r * (Vector256.Create(2f) - v * r)).As<float, T>();
        }
        return Vector256<T>.One / x;
    }

    /// <summary>
    /// tanh x = 1 − 2/(e^{2x} + 1); below |x| = 1/16 that subtraction would cancel (an absolute error of ~1e-7,
    /// which compounds through stacked layers), so there x − x³/3 + 2x⁵/15 is used instead (error &lt; 1e-9).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Tanh<T>(Vector256<T> x) where T : IFloatingPointIeee754<T>
    {
        var one = Vector256<T>.One;
        var large = one - (one + one) * Reciprocal(Exp(x + x) + one);
        var x2 = x * x;
        var small = x + x * x2 * (Vector256.Create(T.CreateChecked(-1.0 / 3)) + x2 * Vector256.Create(T.CreateChecked(2.0 / 15)));
        return Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x), Vector256.Create(T.CreateChecked(0.0625))), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return ExpSingle(x.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.Exp(x.AsDouble()).As<double, T>();
        throw new NotSupportedException(typeof(T).Name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpSingle(Vector256<float> x)
    {
        // Raw AVX2 where present: the portable Min/Max/ConvertToInt32 add NaN and saturation handling this
        // clamped input never needs, and they sit in the innermost loop of every gate.
        if (Avx2.IsSupported)
        {
            x = Avx.Min(Avx.Max(x, Vector256.Create(-87.3f)), Vector256.Create(88.0f));
            var n = Avx.RoundToNearestInteger(Avx.Multiply(x, Vector256.Create(1.44269504088896341f))); // x / ln 2
            var scale = Avx2.ShiftLeftLogical(Avx2.Add(Avx.ConvertToVector256Int32(n), Vector256.Create(127)), 23).AsSingle();
            return Polynomial(x, n) * scale;
        }
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(-87.3f)), Vector256.Create(88.0f));
        var m = Vector256.Round(x * Vector256.Create(1.44269504088896341f));
        return Polynomial(x, m) * ((Vector256.ConvertToInt32(m) + Vector256.Create(127)) << 23).AsSingle();
    }

    /// <summary>e^r for r = x − n·ln 2 (|r| ≤ ln2/2), ln 2 split in two so that n·ln 2 is exact enough.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Polynomial(Vector256<float> x, Vector256<float> n)
    {
        var r = Gemm.MulAdd(n, Vector256.Create(-0.693359375f), x);
        r = Gemm.MulAdd(n, Vector256.Create(2.12194440e-4f), r);
        var p = Vector256.Create(1.9875691500e-4f);
        p = Gemm.MulAdd(p, r, Vector256.Create(1.3981999507e-3f));
        p = Gemm.MulAdd(p, r, Vector256.Create(8.3334519073e-3f));
        p = Gemm.MulAdd(p, r, Vector256.Create(4.1665795894e-2f));
        p = Gemm.MulAdd(p, r, Vector256.Create(1.6666665459e-1f));
        p = Gemm.MulAdd(p, r, Vector256.Create(5.0000001201e-1f));
        return Gemm.MulAdd(p, r * r, r + Vector256<float>.One);
    }

    /// <summary>The scalar σ, for the loops' last few elements.</summary>
    public static T Sigmoid<T>(T x) where T : IFloatingPointIeee754<T> => T.One / (T.One + T.Exp(-x));
}
