using RnnRunner.Core.Data;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Search.Samplers;

/// <summary>
/// The Tree-structured Parzen Estimator (Bergstra et al. 2011), with the defaults Optuna's users know: the first
/// <see cref="StartupTrials"/> samples are random; after that the observations are split into the best γ(n) =
/// min(⌈0.1·n⌉, 25) ("good") and the rest, each parameter gets a Parzen estimator l(x) of the good values and g(x)
/// of the others — truncated Gaussians at each value plus a broad prior, bandwidths from the neighbours' distances,
/// clipped (the "magic clip") — and of <see cref="Candidates"/> draws from l the one with the largest l(x)/g(x) wins:
/// the expected-improvement maximiser. Log-scaled parameters are modelled in log space; whole numbers on their grid;
/// choices by weighted counts. Pruned trials rank after complete ones, deeper ones first (as Optuna ranks them).
/// </summary>
[Implements(typeof(TpeSamplerSpec))]
public sealed class TpeSampler(int seed) : ISampler
{
    public TpeSampler(TpeSamplerSpec spec, int seed) : this(seed) => StartupTrials = spec.StartupTrials;

    public int StartupTrials { get; init; } = 10;
    public int Candidates { get; init; } = 24;
    public double PriorWeight { get; init; } = 1.0;

    public ParameterPoint Sample(IReadOnlyList<SearchParameter> space, int sample, IReadOnlyList<Observation> observations)
    {
        if (observations.Count < StartupTrials) return new RandomSampler(seed).Sample(space, sample, observations);
        var random = SeededRandom.For(seed, $"search-tpe-{sample}");
        var ranked = Enumerable.Range(0, observations.Count)
            .OrderBy(i => observations[i].Complete ? 0 : 1).ThenBy(i => observations[i].Complete ? 0 : -observations[i].Epochs)
            .ThenBy(i => observations[i].Value).ThenBy(i => i).ToList();
        var goodCount = Gamma(observations.Count);
        // Each group in trial order, so the older observations get the smaller weights.
        var good = ranked.Take(goodCount).Order().ToList();
        var bad = ranked.Skip(goodCount).Order().ToList();
        return new ParameterPoint(space.Select((parameter, d) =>
        {
            double[] Values(List<int> group) => group.Select(i => observations[i].Point.Values[d]).ToArray();
            return parameter.Distribution is ChoiceDistribution choice
                ? ChooseCategory(choice.Values.Count, Values(good), Values(bad), random)
                : ChooseNumber(parameter.Distribution, Values(good), Values(bad), random);
        }).ToList());
    }

    /// <summary>How many of n observations count as good: Optuna's default γ.</summary>
    public static int Gamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    /// <summary>Observation weights in trial order: equal up to 25, then a ramp from 1/n for all but the newest 25 (Optuna's default).</summary>
    public static double[] Weights(int n)
    {
        if (n < 25) return Enumerable.Repeat(1.0, n).ToArray();
        var ramp = n - 25;
        return Enumerable.Range(0, ramp).Select(i => ramp == 1 ? 1.0 / n : 1.0 / n + i * (1.0 - 1.0 / n) / (ramp - 1)).Concat(Enumerable.Repeat(1.0, 25)).ToArray();
    }

    private double ChooseNumber(Distribution distribution, double[] good, double[] bad, Random random)
    {
        var scale = NumericScale.Of(distribution);
        var l = new ParzenEstimator(good.Select(scale.ToModel).ToArray(), Weights(good.Length), scale.Low, scale.High, PriorWeight);
        var g = new ParzenEstimator(bad.Select(scale.ToModel).ToArray(), Weights(bad.Length), scale.Low, scale.High, PriorWeight);
        var best = double.NaN;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < Candidates; c++)
        {
            var value = scale.FromModel(l.Sample(random));
            var x = scale.ToModel(value);
            var score = l.LogDensity(x) - g.LogDensity(x);
            if (score > bestScore) (best, bestScore) = (value, score);
        }
        return best;
    }

    private double ChooseCategory(int count, double[] good, double[] bad, Random random)
    {
        var l = CategoryProbabilities(count, good);
        var g = CategoryProbabilities(count, bad);
        var best = 0;
        var bestScore = double.NegativeInfinity;
        for (var c = 0; c < Candidates; c++)
        {
            var u = random.NextDouble();
            var pick = 0;
            for (var acc = l[0]; acc < u && pick < count - 1; acc += l[++pick]) { }
            var score = Math.Log(l[pick]) - Math.Log(g[pick]);
            if (score > bestScore) (best, bestScore) = (pick, score);
        }
        return best;
    }

    /// <summary>Each category's share: the prior spread evenly, plus each observation's weight on its own category.</summary>
    private double[] CategoryProbabilities(int count, double[] observed)
    {
        var weights = Weights(observed.Length);
        var p = Enumerable.Repeat(PriorWeight / count, count).ToArray();
        for (var i = 0; i < observed.Length; i++) p[(int)observed[i]] += weights[i];
        var total = p.Sum();
        return p.Select(v => v / total).ToArray();
    }

    /// <summary>
    /// The scale a number is modelled on: log for log-scaled ones; whole numbers widened by half a step each side,
    /// so the end values get a full bin, and rounded back onto their grid.
    /// </summary>
    private sealed record NumericScale(double Low, double High, Func<double, double> ToModel, Func<double, double> FromModel)
    {
        public static NumericScale Of(Distribution distribution) => distribution switch
        {
            FloatDistribution { Log: true } f => new(Math.Log(f.Low), Math.Log(f.High), Math.Log, x => Math.Clamp(Math.Exp(x), f.Low, f.High)),
            FloatDistribution f => new(f.Low, f.High, x => x, x => Math.Clamp(x, f.Low, f.High)),
            IntDistribution { Log: true } i => new(Math.Log(i.Low - 0.5), Math.Log(i.High + 0.5), Math.Log, x => Math.Clamp(Math.Round(Math.Exp(x)), i.Low, i.High)),
            IntDistribution i => new(i.Low - 0.5 * i.Step, i.High + 0.5 * i.Step, x => x,
                x => Math.Clamp(i.Low + i.Step * Math.Round((x - i.Low) / i.Step), i.Low, i.High)),
            _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution.GetType().Name),
        };
    }
}

/// <summary>
/// A weighted mixture of Gaussians truncated to [low, high], one at each observation and a prior one at the middle
/// with the whole range as its spread. Each observation's spread is the larger distance to its neighbours (the prior
/// counted among them), clipped to [range / min(100, n + 1), range].
/// </summary>
public sealed class ParzenEstimator
{
    private readonly double[] _mus, _sigmas, _logWeights, _logMass;
    private readonly double[] _cumulative;
    private readonly double _low, _high;

    public ParzenEstimator(double[] observations, double[] weights, double low, double high, double priorWeight)
    {
        (_low, _high) = (low, high);
        var range = high - low;
        _mus = [.. observations, (low + high) / 2];
        var n = _mus.Length;
        var order = Enumerable.Range(0, n).OrderBy(i => _mus[i]).ToArray();
        var sorted = order.Select(i => _mus[i]).ToArray();
        _sigmas = new double[n];
        for (var k = 0; k < n; k++)
        {
            var left = k > 0 ? sorted[k] - sorted[k - 1] : double.NaN;
            var right = k < n - 1 ? sorted[k + 1] - sorted[k] : double.NaN;
            _sigmas[order[k]] = double.IsNaN(left) ? (double.IsNaN(right) ? range : right) : double.IsNaN(right) ? left : Math.Max(left, right);
        }
        _sigmas[n - 1] = range; // the prior
        var minSigma = range / Math.Min(100.0, n + 1.0);
        for (var i = 0; i < n; i++) _sigmas[i] = Math.Clamp(_sigmas[i], minSigma, range);
        double[] all = [.. weights, priorWeight];
        var total = all.Sum();
        _logWeights = all.Select(w => Math.Log(w / total)).ToArray();
        _cumulative = new double[n];
        var sum = 0.0;
        for (var i = 0; i < n; i++) _cumulative[i] = sum += all[i] / total;
        _logMass = Enumerable.Range(0, n).Select(i => Math.Log(Math.Max(1e-300,
            Normal.Cdf((high - _mus[i]) / _sigmas[i]) - Normal.Cdf((low - _mus[i]) / _sigmas[i])))).ToArray();
    }

    /// <summary>A draw: a component by weight, then its Gaussian until the draw lies in range.</summary>
    public double Sample(Random random)
    {
        var u = random.NextDouble();
        var component = Math.Min(_mus.Length - 1, Array.FindIndex(_cumulative, c => c >= u) is var k and >= 0 ? k : _mus.Length - 1);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var x = _mus[component] + _sigmas[component] * random.NextGaussian();
            if (x >= _low && x <= _high) return x;
        }
        return Math.Clamp(_mus[component], _low, _high);
    }

    public double LogDensity(double x)
    {
        var terms = new double[_mus.Length];
        for (var i = 0; i < terms.Length; i++)
        {
            var z = (x - _mus[i]) / _sigmas[i];
            terms[i] = _logWeights[i] - 0.5 * z * z - Math.Log(_sigmas[i]) - 0.5 * Math.Log(2 * Math.PI) - _logMass[i];
        }
        var max = terms.Max();
        return max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
    }
}

/// <summary>The standard normal distribution's cumulative function.</summary>
public static class Normal
{
    /// <summary>Φ(x), from the complementary error function (Numerical Recipes' erfc, fractional error under 1.2e-7).</summary>
    public static double Cdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
