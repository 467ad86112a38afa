namespace RnnRunner.Engines.Scratch.Maths;

/// <summary>
/// SplitMix64: a tiny, fast generator whose whole state is one 64-bit number, so a checkpoint can save it
/// and a resumed run draws the same numbers. Streams for different purposes come from <see cref="Derive"/>.
/// </summary>
internal struct RandomStream(ulong state)
{
    public ulong State = state;

    public ulong NextUInt64()
    {
        var z = State += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double NextUniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>An independent stream for (this stream's state, a, b, c): e.g. (seed, step, layer, example).</summary>
    public static RandomStream Derive(ulong seed, ulong a, ulong b = 0, ulong c = 0)
    {
        var mix = new RandomStream(seed);
        mix.State ^= a * 0xD1B54A32D192ED03UL;
        mix.NextUInt64();
        mix.State ^= b * 0xABC98388FB8FAC03UL;
        mix.NextUInt64();
        mix.State ^= c * 0x8CB92BA72F3D8DD7UL;
        return new RandomStream(mix.NextUInt64());
    }
}
