using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Core.Search;

/// <summary>
/// Where a parameter's values lie. Every sampler works on one number per parameter — the value itself for numbers,
/// the index for a choice — and maps a point of the unit interval onto it (<see cref="FromUnit"/>), so a
/// low-discrepancy sequence, a random draw and TPE's candidates all land on the same grid and bounds.
/// </summary>
public abstract record Distribution
{
    /// <summary>The value at <paramref name="u"/> ∈ [0, 1): uniform in the distribution's own scale (log for log ones).</summary>
    public abstract double FromUnit(double u);

    /// <summary>
    /// Where <paramref name="value"/> sits in [0, 1): the inverse of <see cref="FromUnit"/> (a whole number or a choice at
    /// the middle of its stretch), so samplers that move points about (NSGA-II's crossover and mutation) work in one scale.
    /// </summary>
    public abstract double ToUnit(double value);

    /// <summary>Whether <paramref name="value"/> is one this distribution can give (in bounds, on its step).</summary>
    public abstract bool Contains(double value);

    public double Sample(Random random) => FromUnit(random.NextDouble());
}

/// <summary>Real numbers between Low and High, uniform, or uniform in their logarithm (<c>log_uniform</c>: learning rates).</summary>
public sealed record FloatDistribution(double Low, double High, bool Log) : Distribution
{
    public override double FromUnit(double u) =>
        Math.Clamp(Log ? Math.Exp(Math.Log(Low) + u * (Math.Log(High) - Math.Log(Low))) : Low + u * (High - Low), Low, High);

    public override double ToUnit(double value) =>
        Math.Clamp(Log ? (Math.Log(value) - Math.Log(Low)) / (Math.Log(High) - Math.Log(Low)) : (value - Low) / (High - Low), 0, 1);

    public override bool Contains(double value) => value >= Low && value <= High;
}

/// <summary>Whole numbers Low, Low + Step, … up to High; with Log (Step 1), spread evenly in their logarithm.</summary>
public sealed record IntDistribution(long Low, long High, long Step, bool Log) : Distribution
{
    /// <summary>How many values there are.</summary>
    public long Count => (High - Low) / Step + 1;

    public override double FromUnit(double u)
    {
        if (!Log) return Low + Step * Math.Min(Count - 1, (long)Math.Floor(u * Count));
        // Each whole number gets the stretch of log-space between its half-way points: a log-uniform draw, rounded.
        var (low, high) = (Math.Log(Low - 0.5), Math.Log(High + 0.5));
        return Math.Clamp(Math.Round(Math.Exp(low + u * (high - low))), Low, High);
    }

    public override double ToUnit(double value)
    {
        if (!Log) return ((value - Low) / Step + 0.5) / Count;
        var (low, high) = (Math.Log(Low - 0.5), Math.Log(High + 0.5));
        return Math.Clamp((Math.Log(value) - low) / (high - low), 0, 1);
    }

    public override bool Contains(double value) =>
        value >= Low && value <= High && value == Math.Floor(value) && ((long)value - Low) % Step == 0;
}

/// <summary>One of a list of values (numbers, names, whole layers); samplers pick its index.</summary>
public sealed record ChoiceDistribution(IReadOnlyList<SpecNode> Values) : Distribution
{
    public override double FromUnit(double u) => Math.Min(Values.Count - 1, (int)Math.Floor(u * Values.Count));

    public override double ToUnit(double value) => (value + 0.5) / Values.Count;

    public override bool Contains(double value) => value >= 0 && value < Values.Count && value == Math.Floor(value);
}

/// <summary>A searched spec path and the distribution of its values.</summary>
public sealed record SearchParameter(string Path, Distribution Distribution);

/// <summary>One point of a search space: a value (or choice index) per parameter, in the space's order.</summary>
public sealed record ParameterPoint(IReadOnlyList<double> Values);
