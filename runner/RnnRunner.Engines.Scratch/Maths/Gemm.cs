using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RnnRunner.Engines.Scratch.Maths;

/// <summary>
/// The two matrix products every layer here is made of, on row-major spans, for float (training) and double
/// (gradient checks). Why hand-written: the products are small (e.g. 64×32 by 32×128 once per time step), where
/// a BLAS call's overhead dominates. The kernels keep a 2-row × 4-vector block of C in registers and stream B's
/// rows through fused multiply-adds; edges fall back to narrower blocks and scalars.
/// </summary>
internal static class Gemm
{
    /// <summary>C[m×n] += A[m×k] · B[k×n].</summary>
    public static void MultiplyAdd<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T> => Multiply(a, b, c, m, k, n, default);

    /// <summary>C[m×n] = A[m×k] · B[k×n] + bias (added to every row): a layer's affine map in one pass.</summary>
    public static void MultiplyWithBias<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> bias, Span<T> c, int m, int k, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(bias.Length >= n);
        Multiply(a, b, c, m, k, n, bias);
    }

    /// <summary>C = (bias is empty ? C : bias) + A·B: accumulators start from C's row or from the bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, ReadOnlySpan<T> bias)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(a.Length >= m * k && b.Length >= k * n && c.Length >= m * n);
        var fromBias = !bias.IsEmpty;
        ref var bias0 = ref MemoryMarshal.GetReference(bias);
        var columnStart = Wide<T>.Enabled
            ? Multiply512(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), ref MemoryMarshal.GetReference(c), m, k, n, fromBias, ref bias0)
            : 0;
        ref var a0 = ref MemoryMarshal.GetReference(a);
        ref var b0 = ref MemoryMarshal.GetReference(b);
        ref var c0 = ref MemoryMarshal.GetReference(c);
        var width = Vector256.IsHardwareAccelerated ? Vector256<T>.Count : Lanes<T>.None;
        var i = 0;
        for (; i + 1 < m; i += 2)
        {
            ref var rowA0 = ref Unsafe.Add(ref a0, i * k);
            ref var rowA1 = ref Unsafe.Add(ref a0, (i + 1) * k);
            ref var rowC0 = ref Unsafe.Add(ref c0, i * n);
            ref var rowC1 = ref Unsafe.Add(ref c0, (i + 1) * n);
            var j = columnStart;
            for (; j + 4 * width <= n; j += 4 * width)
            {
                var c00 = Start(fromBias, ref bias0, ref rowC0, j); var c01 = Start(fromBias, ref bias0, ref rowC0, j + width);
                var c02 = Start(fromBias, ref bias0, ref rowC0, j + 2 * width); var c03 = Start(fromBias, ref bias0, ref rowC0, j + 3 * width);
                var c10 = Start(fromBias, ref bias0, ref rowC1, j); var c11 = Start(fromBias, ref bias0, ref rowC1, j + width);
                var c12 = Start(fromBias, ref bias0, ref rowC1, j + 2 * width); var c13 = Start(fromBias, ref bias0, ref rowC1, j + 3 * width);
                for (var p = 0; p < k; p++)
                {
                    ref var rowB = ref Unsafe.Add(ref b0, p * n + j);
                    var b0v = Load(ref rowB, 0); var b1v = Load(ref rowB, width);
                    var b2v = Load(ref rowB, 2 * width); var b3v = Load(ref rowB, 3 * width);
                    var x0 = Vector256.Create(Unsafe.Add(ref rowA0, p));
                    var x1 = Vector256.Create(Unsafe.Add(ref rowA1, p));
                    c00 = MulAdd(x0, b0v, c00); c01 = MulAdd(x0, b1v, c01); c02 = MulAdd(x0, b2v, c02); c03 = MulAdd(x0, b3v, c03);
                    c10 = MulAdd(x1, b0v, c10); c11 = MulAdd(x1, b1v, c11); c12 = MulAdd(x1, b2v, c12); c13 = MulAdd(x1, b3v, c13);
                }
                Store(c00, ref rowC0, j); Store(c01, ref rowC0, j + width);
                Store(c02, ref rowC0, j + 2 * width); Store(c03, ref rowC0, j + 3 * width);
                Store(c10, ref rowC1, j); Store(c11, ref rowC1, j + width);
                Store(c12, ref rowC1, j + 2 * width); Store(c13, ref rowC1, j + 3 * width);
            }
            for (; j + width <= n; j += width)
            {
                var c00 = Start(fromBias, ref bias0, ref rowC0, j);
                var c10 = Start(fromBias, ref bias0, ref rowC1, j);
                for (var p = 0; p < k; p++)
                {
                    var bv = Load(ref Unsafe.Add(ref b0, p * n), j);
                    c00 = MulAdd(Vector256.Create(Unsafe.Add(ref rowA0, p)), bv, c00);
                    c10 = MulAdd(Vector256.Create(Unsafe.Add(ref rowA1, p)), bv, c10);
                }
                Store(c00, ref rowC0, j);
                Store(c10, ref rowC1, j);
            }
            ScalarColumns(fromBias, ref bias0, ref rowA0, ref b0, ref rowC0, k, n, j);
            ScalarColumns(fromBias, ref bias0, ref rowA1, ref b0, ref rowC1, k, n, j);
        }
        for (; i < m; i++)
        {
            ref var rowA = ref Unsafe.Add(ref a0, i * k);
            ref var rowC = ref Unsafe.Add(ref c0, i * n);
            var j = columnStart;
            for (; j + width <= n; j += width)
            {
                var acc = Start(fromBias, ref bias0, ref rowC, j);
                for (var p = 0; p < k; p++)
                    acc = MulAdd(Vector256.Create(Unsafe.Add(ref rowA, p)), Load(ref Unsafe.Add(ref b0, p * n), j), acc);
                Store(acc, ref rowC, j);
            }
            ScalarColumns(fromBias, ref bias0, ref rowA, ref b0, ref rowC, k, n, j);
        }
    }

    /// <summary>C[m×n] += Aᵀ · B, where A is [r×m] and B is [r×n]: a sum of r outer products (weight gradients).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TransposedMultiplyAdd<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int r, int m, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(a.Length >= r * m && b.Length >= r * n && c.Length >= m * n);
        ref var a0 = ref MemoryMarshal.GetReference(a);
        ref var b0 = ref MemoryMarshal.GetReference(b);
        ref var c0 = ref MemoryMarshal.GetReference(c);
        var columnStart = Wide<T>.Enabled ? Transposed512(ref a0, ref b0, ref c0, r, m, n) : 0;
        if (columnStart == n) return;
        var width = Vector256.IsHardwareAccelerated ? Vector256<T>.Count : Lanes<T>.None;
        // Rows of B in chunks that stay in L1 while every row of C passes over them.
        var chunk = Math.Max(16, 16384 / Math.Max(1, n * Unsafe.SizeOf<T>()));
        for (var r0 = 0; r0 < r; r0 += chunk)
        {
            var r1 = Math.Min(r, r0 + chunk);
            var i = 0;
            for (; i + 1 < m; i += 2)
            {
                ref var rowC0 = ref Unsafe.Add(ref c0, i * n);
                ref var rowC1 = ref Unsafe.Add(ref c0, (i + 1) * n);
                var j = columnStart;
                for (; j + 4 * width <= n; j += 4 * width)
                {
                    var c00 = Load(ref rowC0, j); var c01 = Load(ref rowC0, j + width);
                    var c02 = Load(ref rowC0, j + 2 * width); var c03 = Load(ref rowC0, j + 3 * width);
                    var c10 = Load(ref rowC1, j); var c11 = Load(ref rowC1, j + width);
                    var c12 = Load(ref rowC1, j + 2 * width); var c13 = Load(ref rowC1, j + 3 * width);
                    ref var pairA = ref Unsafe.Add(ref a0, r0 * m + i);
                    ref var rowB = ref Unsafe.Add(ref b0, r0 * n + j);
                    for (var p = r0; p < r1; p++)
                    {
                        var b0v = Load(ref rowB, 0); var b1v = Load(ref rowB, width);
                        var b2v = Load(ref rowB, 2 * width); var b3v = Load(ref rowB, 3 * width);
                        var x0 = Vector256.Create(pairA);
                        var x1 = Vector256.Create(Unsafe.Add(ref pairA, 1));
                        c00 = MulAdd(x0, b0v, c00); c01 = MulAdd(x0, b1v, c01); c02 = MulAdd(x0, b2v, c02); c03 = MulAdd(x0, b3v, c03);
                        c10 = MulAdd(x1, b0v, c10); c11 = MulAdd(x1, b1v, c11); c12 = MulAdd(x1, b2v, c12); c13 = MulAdd(x1, b3v, c13);
                        pairA = ref Unsafe.Add(ref pairA, m);
                        rowB = ref Unsafe.Add(ref rowB, n);
                    }
                    Store(c00, ref rowC0, j); Store(c01, ref rowC0, j + width);
                    Store(c02, ref rowC0, j + 2 * width); Store(c03, ref rowC0, j + 3 * width);
                    Store(c10, ref rowC1, j); Store(c11, ref rowC1, j + width);
                    Store(c12, ref rowC1, j + 2 * width); Store(c13, ref rowC1, j + 3 * width);
                }
                for (; j + 2 * width <= n; j += 2 * width)
                {
                    var c00 = Load(ref rowC0, j); var c01 = Load(ref rowC0, j + width);
                    var c10 = Load(ref rowC1, j); var c11 = Load(ref rowC1, j + width);
                    for (var p = r0; p < r1; p++)
                    {
                        ref var rowB = ref Unsafe.Add(ref b0, p * n + j);
                        var b0v = Load(ref rowB, 0); var b1v = Load(ref rowB, width);
                        var x0 = Vector256.Create(Unsafe.Add(ref a0, p * m + i));
                        var x1 = Vector256.Create(Unsafe.Add(ref a0, p * m + i + 1));
                        c00 = MulAdd(x0, b0v, c00); c01 = MulAdd(x0, b1v, c01);
                        c10 = MulAdd(x1, b0v, c10); c11 = MulAdd(x1, b1v, c11);
                    }
                    Store(c00, ref rowC0, j); Store(c01, ref rowC0, j + width);
                    Store(c10, ref rowC1, j); Store(c11, ref rowC1, j + width);
                }
                for (; j + width <= n; j += width)
                {
                    var c00 = Load(ref rowC0, j);
                    var c10 = Load(ref rowC1, j);
                    for (var p = r0; p < r1; p++)
                    {
                        var bv = Load(ref Unsafe.Add(ref b0, p * n), j);
                        c00 = MulAdd(Vector256.Create(Unsafe.Add(ref a0, p * m + i)), bv, c00);
                        c10 = MulAdd(Vector256.Create(Unsafe.Add(ref a0, p * m + i + 1)), bv, c10);
                    }
                    Store(c00, ref rowC0, j);
                    Store(c10, ref rowC1, j);
                }
                ScalarTransposed(ref a0, ref b0, ref rowC0, r0, r1, m, n, i, j);
                ScalarTransposed(ref a0, ref b0, ref rowC1, r0, r1, m, n, i + 1, j);
            }
            for (; i < m; i++)
            {
                ref var rowC = ref Unsafe.Add(ref c0, i * n);
                var j = columnStart;
                for (; j + width <= n; j += width)
                {
                    var acc = Load(ref rowC, j);
                    for (var p = r0; p < r1; p++)
                        acc = MulAdd(Vector256.Create(Unsafe.Add(ref a0, p * m + i)), Load(ref Unsafe.Add(ref b0, p * n), j), acc);
                    Store(acc, ref rowC, j);
                }
                ScalarTransposed(ref a0, ref b0, ref rowC, r0, r1, m, n, i, j);
            }
        }
    }

    /// <summary>column[j] += Σ_rows A[row, j]: bias gradients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddColumnSums<T>(ReadOnlySpan<T> a, Span<T> columns, int rows, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(a.Length >= rows * n && columns.Length >= n);
        ref var a0 = ref MemoryMarshal.GetReference(a);
        ref var c0 = ref MemoryMarshal.GetReference(columns);
        var width = Vector256.IsHardwareAccelerated ? Vector256<T>.Count : Lanes<T>.None;
        var j = 0;
        for (; j + width <= n; j += width)
        {
            var acc = Load(ref c0, j);
            for (var row = 0; row < rows; row++) acc += Load(ref Unsafe.Add(ref a0, row * n), j);
            Store(acc, ref c0, j);
        }
        for (; j < n; j++)
        {
            var sum = Unsafe.Add(ref c0, j);
            for (var row = 0; row < rows; row++) sum += Unsafe.Add(ref a0, row * n + j);
            Unsafe.Add(ref c0, j) = sum;
        }
    }

    /// <summary>Adds <paramref name="row"/> to every row of the [rows×n] matrix <paramref name="matrix"/>: biases.</summary>
    public static void AddToEachRow<T>(Span<T> matrix, ReadOnlySpan<T> row, int rows, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(matrix.Length >= rows * n && row.Length >= n);
        for (var i = 0; i < rows; i++)
            System.Numerics.Tensors.TensorPrimitives.Add(matrix.Slice(i * n, n), row[..n], matrix.Slice(i * n, n));
    }

    /// <summary>Writes the transpose of the [rows×columns] matrix <paramref name="source"/> into <paramref name="target"/>.</summary>
    public static void Transpose<T>(ReadOnlySpan<T> source, Span<T> target, int rows, int columns)
    {
        Check(source.Length >= rows * columns && target.Length >= rows * columns);
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < columns; j++)
                target[j * rows + i] = source[i * columns + j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Start<T>(bool fromBias, ref T bias, ref T rowC, int offset) =>
        fromBias ? Load(ref bias, offset) : Load(ref rowC, offset);

    private static void ScalarColumns<T>(bool fromBias, ref T bias, ref T rowA, ref T b0, ref T rowC, int k, int n, int fromColumn)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j = fromColumn; j < n; j++)
        {
            var sum = fromBias ? Unsafe.Add(ref bias, j) : Unsafe.Add(ref rowC, j);
            for (var p = 0; p < k; p++) sum += Unsafe.Add(ref rowA, p) * Unsafe.Add(ref b0, p * n + j);
            Unsafe.Add(ref rowC, j) = sum;
        }
    }

    private static void ScalarTransposed<T>(ref T a0, ref T b0, ref T rowC, int r0, int r1, int m, int n, int i, int fromColumn)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j = fromColumn; j < n; j++)
        {
            var sum = Unsafe.Add(ref rowC, j);
            for (var p = r0; p < r1; p++) sum += Unsafe.Add(ref a0, p * m + i) * Unsafe.Add(ref b0, p * n + j);
            Unsafe.Add(ref rowC, j) = sum;
        }
    }

    /// <summary>Which of the hand-written kernel sets runs on this machine (float32), for run summaries.</summary>
    public static string Path => Wide<float>.Enabled ? "scratch avx512 (512-bit GEMM, 256-bit gate loops)"
        : Vector256.IsHardwareAccelerated ? "scratch avx2 (256-bit GEMM and gate loops)"
        : "scratch scalar (no SIMD: the JIT offers no 256-bit vectors)";

    /// <summary>Whether to use 512-bit kernels: AVX-512 present and not throttled (the runtime decides).</summary>
    private static class Wide<T>
    {
        public static readonly bool Enabled = Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported &&
            (typeof(T) == typeof(float) || typeof(T) == typeof(double));
    }

    /// <summary>
    /// The AVX-512 block of <see cref="Multiply{T}"/>: 4 rows × 2 vectors (32 floats) of C in registers while k
    /// runs, for every column block that fits; returns how many columns it did (the rest go to the 256-bit code).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Multiply512<T>(ref T a0, ref T b0, ref T c0, int m, int k, int n, bool fromBias, ref T bias0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var width = Vector512<T>.Count;
        var columns = n - n % (2 * width);
        if (columns == 0) return 0;
        var i = 0;
        for (; i + 3 < m; i += 4)
        {
            ref var rowA = ref Unsafe.Add(ref a0, i * k);
            for (var j = 0; j < columns; j += 2 * width)
            {
                ref var rowC = ref Unsafe.Add(ref c0, i * n + j);
                Vector512<T> c00 = Start512(fromBias, ref bias0, j, ref rowC, 0), c01 = Start512(fromBias, ref bias0, j + width, ref rowC, width);
                Vector512<T> c10 = Start512(fromBias, ref bias0, j, ref rowC, n), c11 = Start512(fromBias, ref bias0, j + width, ref rowC, n + width);
                Vector512<T> c20 = Start512(fromBias, ref bias0, j, ref rowC, 2 * n), c21 = Start512(fromBias, ref bias0, j + width, ref rowC, 2 * n + width);
                Vector512<T> c30 = Start512(fromBias, ref bias0, j, ref rowC, 3 * n), c31 = Start512(fromBias, ref bias0, j + width, ref rowC, 3 * n + width);
                ref var rowB = ref Unsafe.Add(ref b0, j);
                for (var p = 0; p < k; p++)
                {
                    var b0v = Vector512.LoadUnsafe(ref rowB);
                    var b1v = Vector512.LoadUnsafe(ref rowB, (nuint)width);
                    var x = Vector512.Create(Unsafe.Add(ref rowA, p));
                    c00 = MulAdd(x, b0v, c00); c01 = MulAdd(x, b1v, c01);
                    x = Vector512.Create(Unsafe.Add(ref rowA, k + p));
                    c10 = MulAdd(x, b0v, c10); c11 = MulAdd(x, b1v, c11);
                    x = Vector512.Create(Unsafe.Add(ref rowA, 2 * k + p));
                    c20 = MulAdd(x, b0v, c20); c21 = MulAdd(x, b1v, c21);
                    x = Vector512.Create(Unsafe.Add(ref rowA, 3 * k + p));
                    c30 = MulAdd(x, b0v, c30); c31 = MulAdd(x, b1v, c31);
                    rowB = ref Unsafe.Add(ref rowB, n);
                }
                c00.StoreUnsafe(ref rowC); c01.StoreUnsafe(ref rowC, (nuint)width);
                c10.StoreUnsafe(ref rowC, (nuint)n); c11.StoreUnsafe(ref rowC, (nuint)(n + width));
                c20.StoreUnsafe(ref rowC, (nuint)(2 * n)); c21.StoreUnsafe(ref rowC, (nuint)(2 * n + width));
                c30.StoreUnsafe(ref rowC, (nuint)(3 * n)); c31.StoreUnsafe(ref rowC, (nuint)(3 * n + width));
            }
        }
        for (; i < m; i++)
        {
            ref var rowA = ref Unsafe.Add(ref a0, i * k);
            for (var j = 0; j < columns; j += 2 * width)
            {
                ref var rowC = ref Unsafe.Add(ref c0, i * n + j);
                Vector512<T> c00 = Start512(fromBias, ref bias0, j, ref rowC, 0), c01 = Start512(fromBias, ref bias0, j + width, ref rowC, width);
                ref var rowB = ref Unsafe.Add(ref b0, j);
                for (var p = 0; p < k; p++)
                {
                    var x = Vector512.Create(Unsafe.Add(ref rowA, p));
                    c00 = MulAdd(x, Vector512.LoadUnsafe(ref rowB), c00);
                    c01 = MulAdd(x, Vector512.LoadUnsafe(ref rowB, (nuint)width), c01);
                    rowB = ref Unsafe.Add(ref rowB, n);
                }
                c00.StoreUnsafe(ref rowC); c01.StoreUnsafe(ref rowC, (nuint)width);
            }
        }
        return columns;
    }

    /// <summary>The AVX-512 block of <see cref="TransposedMultiplyAdd{T}"/>: 4 rows × 2 vectors of C per pass over a chunk of r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Transposed512<T>(ref T a0, ref T b0, ref T c0, int r, int m, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var width = Vector512<T>.Count;
        var columns = n - n % (2 * width);
        if (columns == 0) return 0;
        var chunk = Math.Max(16, 32768 / Math.Max(1, n * Unsafe.SizeOf<T>()));
        for (var r0 = 0; r0 < r; r0 += chunk)
        {
            var r1 = Math.Min(r, r0 + chunk);
            var i = 0;
            for (; i + 3 < m; i += 4)
                for (var j = 0; j < columns; j += 2 * width)
                {
                    ref var rowC = ref Unsafe.Add(ref c0, i * n + j);
                    Vector512<T> c00 = Vector512.LoadUnsafe(ref rowC), c01 = Vector512.LoadUnsafe(ref rowC, (nuint)width);
                    Vector512<T> c10 = Vector512.LoadUnsafe(ref rowC, (nuint)n), c11 = Vector512.LoadUnsafe(ref rowC, (nuint)(n + width));
                    Vector512<T> c20 = Vector512.LoadUnsafe(ref rowC, (nuint)(2 * n)), c21 = Vector512.LoadUnsafe(ref rowC, (nuint)(2 * n + width));
                    Vector512<T> c30 = Vector512.LoadUnsafe(ref rowC, (nuint)(3 * n)), c31 = Vector512.LoadUnsafe(ref rowC, (nuint)(3 * n + width));
                    ref var rowA = ref Unsafe.Add(ref a0, r0 * m + i);
                    ref var rowB = ref Unsafe.Add(ref b0, r0 * n + j);
                    for (var p = r0; p < r1; p++)
                    {
                        var b0v = Vector512.LoadUnsafe(ref rowB);
                        var b1v = Vector512.LoadUnsafe(ref rowB, (nuint)width);
                        var x = Vector512.Create(rowA);
                        c00 = MulAdd(x, b0v, c00); c01 = MulAdd(x, b1v, c01);
                        x = Vector512.Create(Unsafe.Add(ref rowA, 1));
                        c10 = MulAdd(x, b0v, c10); c11 = MulAdd(x, b1v, c11);
                        x = Vector512.Create(Unsafe.Add(ref rowA, 2));
                        c20 = MulAdd(x, b0v, c20); c21 = MulAdd(x, b1v, c21);
                        x = Vector512.Create(Unsafe.Add(ref rowA, 3));
                        c30 = MulAdd(x, b0v, c30); c31 = MulAdd(x, b1v, c31);
                        rowA = ref Unsafe.Add(ref rowA, m);
                        rowB = ref Unsafe.Add(ref rowB, n);
                    }
                    c00.StoreUnsafe(ref rowC); c01.StoreUnsafe(ref rowC, (nuint)width);
                    c10.StoreUnsafe(ref rowC, (nuint)n); c11.StoreUnsafe(ref rowC, (nuint)(n + width));
                    c20.StoreUnsafe(ref rowC, (nuint)(2 * n)); c21.StoreUnsafe(ref rowC, (nuint)(2 * n + width));
                    c30.StoreUnsafe(ref rowC, (nuint)(3 * n)); c31.StoreUnsafe(ref rowC, (nuint)(3 * n + width));
                }
            for (; i < m; i++)
                for (var j = 0; j < columns; j += 2 * width)
                {
                    ref var rowC = ref Unsafe.Add(ref c0, i * n + j);
                    Vector512<T> c00 = Vector512.LoadUnsafe(ref rowC), c01 = Vector512.LoadUnsafe(ref rowC, (nuint)width);
                    for (var p = r0; p < r1; p++)
                    {
                        var x = Vector512.Create(Unsafe.Add(ref a0, p * m + i));
                        ref var rowB = ref Unsafe.Add(ref b0, p * n + j);
                        c00 = MulAdd(x, Vector512.LoadUnsafe(ref rowB), c00);
                        c01 = MulAdd(x, Vector512.LoadUnsafe(ref rowB, (nuint)width), c01);
                    }
                    c00.StoreUnsafe(ref rowC); c01.StoreUnsafe(ref rowC, (nuint)width);
                }
        }
        return columns;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Start512<T>(bool fromBias, ref T bias, int biasOffset, ref T c, int offset) =>
        fromBias ? Vector512.LoadUnsafe(ref bias, (nuint)biasOffset) : Vector512.LoadUnsafe(ref c, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MulAdd<T>(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
    {
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
        return x * y + acc;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Load<T>(ref T row, int offset) => Vector256.LoadUnsafe(ref row, (nuint)offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector256<T> value, ref T row, int offset) => value.StoreUnsafe(ref row, (nuint)offset);

    /// <summary>x·y + acc in one rounding where the processor has FMA (the JIT keeps only the branch for T).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> MulAdd<T>(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
    {
        if (Fma.IsSupported && typeof(T) == typeof(float))
            return System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(x.AsSingle(), y.AsSingle(), acc.AsSingle()).As<float, T>();
        if (Fma.IsSupported && typeof(T) == typeof(double))
            return System.Runtime.Intrinsics.X86.Fma.MultiplyAdd(x.AsDouble(), y.AsDouble(), acc.AsDouble()).As<double, T>();
        return x * y + acc;
    }

    private static void Check(bool fits)
    {
        if (!fits) throw new ArgumentException("matrix spans are smaller than their dimensions");
    }
}
