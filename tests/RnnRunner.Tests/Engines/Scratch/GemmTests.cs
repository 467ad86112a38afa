using RnnRunner.Engines.Scratch.Maths;

namespace RnnRunner.Tests.Engines.Scratch;

/// <summary>
/// The matrix kernels against the textbook triple loop, over shapes that reach every code path: 512-bit and
/// 256-bit blocks, narrower blocks, scalar column tails, and leftover rows.
/// </summary>
public class GemmTests
{
    private static readonly int[] Rows = [1, 2, 3, 4, 5, 9, 64];
    private static readonly int[] Inner = [1, 7, 32];
    private static readonly int[] Columns = [1, 5, 8, 16, 31, 32, 33, 48, 64, 67, 128];

    [Fact]
    public void Multiply_add_matches_the_triple_loop_in_float_and_double()
    {
        var random = new Random(3);
        foreach (var m in Rows)
            foreach (var k in Inner)
                foreach (var n in Columns)
                {
                    var (a, b, c) = (Random(random, m * k), Random(random, k * n), Random(random, m * n));
                    var bias = Random(random, n);
                    var expected = new double[m * n];
                    var expectedWithBias = new double[m * n];
                    for (var i = 0; i < m; i++)
                        for (var j = 0; j < n; j++)
                        {
                            var sum = 0.0;
                            for (var p = 0; p < k; p++) sum += a[i * k + p] * b[p * n + j];
                            expected[i * n + j] = c[i * n + j] + sum;
                            expectedWithBias[i * n + j] = bias[j] + sum;
                        }

                    var doubles = (double[])c.Clone();
                    Gemm.MultiplyAdd<double>(a, b, doubles, m, k, n);
                    AssertClose(expected, doubles, 1e-12, $"double {m}×{k}·{k}×{n}");
                    var floats = c.Select(v => (float)v).ToArray();
                    Gemm.MultiplyAdd<float>(Floats(a), Floats(b), floats, m, k, n);
                    AssertClose(expected, floats.Select(v => (double)v).ToArray(), 1e-5, $"float {m}×{k}·{k}×{n}");
                    var withBias = new float[m * n];
                    Gemm.MultiplyWithBias<float>(Floats(a), Floats(b), Floats(bias), withBias, m, k, n);
                    AssertClose(expectedWithBias, withBias.Select(v => (double)v).ToArray(), 1e-5, $"float with bias {m}×{k}·{k}×{n}");
                }
    }

    [Fact]
    public void Transposed_multiply_add_matches_the_triple_loop_in_float_and_double()
    {
        var random = new Random(4);
        foreach (var r in new[] { 1, 7, 300 }) // 300 rows cross the kernels' row chunks
            foreach (var m in Rows)
                foreach (var n in Columns)
                {
                    var (a, b, c) = (Random(random, r * m), Random(random, r * n), Random(random, m * n));
                    var expected = (double[])c.Clone();
                    for (var p = 0; p < r; p++)
                        for (var i = 0; i < m; i++)
                            for (var j = 0; j < n; j++) expected[i * n + j] += a[p * m + i] * b[p * n + j];

                    var doubles = (double[])c.Clone();
                    Gemm.TransposedMultiplyAdd<double>(a, b, doubles, r, m, n);
                    AssertClose(expected, doubles, 1e-12, $"double ({r}×{m})ᵀ·{r}×{n}");
                    var floats = c.Select(v => (float)v).ToArray();
                    Gemm.TransposedMultiplyAdd<float>(Floats(a), Floats(b), floats, r, m, n);
                    AssertClose(expected, floats.Select(v => (double)v).ToArray(), 1e-4, $"float ({r}×{m})ᵀ·{r}×{n}");
                }
    }

    [Fact]
    public void Column_sums_add_every_row()
    {
        var random = new Random(5);
        foreach (var n in Columns)
        {
            var a = Random(random, 13 * n);
            var sums = new double[n];
            Gemm.AddColumnSums<double>(a, sums, 13, n);
            for (var j = 0; j < n; j++) Assert.Equal(Enumerable.Range(0, 13).Sum(i => a[i * n + j]), sums[j], 12);
        }
    }

    private static double[] Random(Random random, int length) => Enumerable.Range(0, length).Select(_ => random.NextDouble() * 2 - 1).ToArray();

    private static float[] Floats(double[] values) => values.Select(v => (float)v).ToArray();

    private static void AssertClose(double[] expected, double[] actual, double tolerance, string what)
    {
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"{what}: element {i} is {actual[i]}, expected {expected[i]}");
    }
}
