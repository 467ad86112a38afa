namespace RnnRunner.Core.Data;

/// <summary>
/// Independent, reproducible random streams derived from the run's seed and a purpose name, so that adding a
/// random draw in one place (say, dropout) never shifts another (say, the data order).
/// </summary>
public static class SeededRandom
{
    public static Random For(int seed, string purpose) => new(DeriveSeed(seed, purpose));

    /// <summary>A stable 31-bit seed from (seed, purpose): FNV-1a, since string.GetHashCode differs per process.</summary>
    public static int DeriveSeed(int seed, string purpose)
    {
        unchecked
        {
            var hash = 2166136261u;
            foreach (var b in BitConverter.GetBytes(seed)) hash = (hash ^ b) * 16777619u;
            foreach (var c in purpose) hash = (hash ^ c) * 16777619u;
            return (int)(hash & 0x7FFFFFFF);
        }
    }

    /// <summary>A seeded Fisher–Yates permutation of 0..count-1.</summary>
    public static int[] Permutation(Random random, int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        return order;
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double NextGaussian(this Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
