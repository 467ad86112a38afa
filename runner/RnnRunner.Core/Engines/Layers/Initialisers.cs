using RnnRunner.Core.Data;

namespace RnnRunner.Core.Engines.Layers;

/// <summary>Keras' default initialisers, for the layer types' starting weights.</summary>
internal static class Initialisers
{
    internal static NamedTensor Tensor(string name, int[] shape, Action<float[]> fill)
    {
        var values = new float[shape.Aggregate(1, (a, b) => checked(a * b))];
        fill(values);
        return new NamedTensor(name, shape, values);
    }

    internal static void Uniform(float[] values, double limit, Random random)
    {
        for (var i = 0; i < values.Length; i++) values[i] = (float)(limit * (2 * random.NextDouble() - 1));
    }

    /// <summary>Glorot (Xavier) uniform over a (rows, columns) matrix: limit √(6 / (fan_in + fan_out)).</summary>
    internal static void GlorotUniform(float[] values, int rows, int columns, Random random) =>
        Uniform(values, Math.Sqrt(6.0 / (rows + columns)), random);

    /// <summary>
    /// A random (rows, columns) matrix with orthonormal columns (rows ≥ columns) or rows: Gram–Schmidt on a
    /// Gaussian matrix, which gives the same (Haar) distribution as QR with the sign of R's diagonal fixed.
    /// </summary>
    internal static void Orthogonal(float[] values, int rows, int columns, Random random)
    {
        var transpose = rows < columns;
        int n = transpose ? columns : rows, k = transpose ? rows : columns; // k vectors of length n
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
                values[r * columns + c] = (float)(transpose ? vectors[r][c] : vectors[c][r]);
    }
}
