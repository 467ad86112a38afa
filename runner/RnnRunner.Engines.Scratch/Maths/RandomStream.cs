namespace RnnRunner.Engines.Scratch.Maths;

/// <summary>
/// SplitMix64: a tiny, fast generator whose whole state is one 64-bit number. The scratch engine's dropout masks
/// come from streams derived from (seed, step, layer, example) by <see cref="Derive"/>, so a checkpoint needs only
/// the step counter to reproduce them.
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

    /// <summary>A stream fixed by (seed, a, b, c), e.g. (seed, step, layer, example), unrelated to its neighbours'.</summary>
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
