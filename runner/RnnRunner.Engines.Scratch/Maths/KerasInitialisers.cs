using System.Numerics;

namespace RnnRunner.Engines.Scratch.Maths;

/// <summary>
/// Keras' default initialisers, on libtorch's layout (the same distributions the TorchSharp engine draws from;
/// the draws themselves differ, as the two engines have different generators).
/// </summary>
internal static class KerasInitialisers
{
    /// <summary>Keras Embedding: uniform in [-0.05, 0.05].</summary>
    public const double EmbeddingLimit = 0.05;

    public static void Uniform<T>(Span<T> values, double limit, ref RandomStream random) where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < values.Length; i++) values[i] = T.CreateChecked(random.NextUniform(-limit, limit));
    }

    /// <summary>Glorot (Xavier) uniform over a (rows, columns) matrix: limit √(6 / (fan_in + fan_out)).</summary>
    public static void GlorotUniform<T>(Span<T> values, int rows, int columns, ref RandomStream random) where T : IFloatingPointIeee754<T> =>
        Uniform(values, Math.Sqrt(6.0 / (rows + columns)), ref random);

    /// <summary>
    /// A random (rows, columns) matrix with orthonormal columns (rows ≥ columns) or rows: Gram–Schmidt on a
    /// Gaussian matrix, which gives the same (Haar) distribution as QR with the sign of R's diagonal fixed.
    /// </summary>
    public static void Orthogonal<T>(Span<T> values, int rows, int columns, ref RandomStream random) where T : IFloatingPointIeee754<T>
    {
        var transpose = rows < columns;
        int n = transpose ? columns : rows, k = transpose ? rows : columns; // n-long vectors, k of them
        var vectors = new double[k][];
        for (var j = 0; j < k; j++)
        {
            var v = new double[n];
            for (var i = 0; i < n; i++) v[i] = random.NextGaussian();
            // Twice is enough: the second pass removes what rounding left of the earlier directions.
            for (var pass = 0; pass < 2; pass++)
                for (var p = 0; p < j; p++)
                {
                    var dot = 0.0;
                    for (var i = 0; i < n; i++) dot += v[i] * vectors[p][i];
                    for (var i = 0; i < n; i++) v[i] -= dot * vectors[p][i];
                }
            var norm = Math.Sqrt(v.Sum(x => x * x));
            for (var i = 0; i < n; i++) v[i] /= norm;
            vectors[j] = v;
        }
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                values[r * columns + c] = T.CreateChecked(transpose ? vectors[r][c] : vectors[c][r]);
    }
}
