using RnnRunner.Core.Data;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Search.Samplers;

/// <summary>
/// NSGA-II (Deb et al. 2002) for one or several objectives. Completed trials form generations of
/// <see cref="Nsga2SamplerSpec.PopulationSize"/> in trial order; the first generation is random. Each generation's
/// parents are the best population_size of the previous parents and its children — whole Pareto fronts first, the last
/// front cut by crowding distance — and every new trial is a child of two parents chosen by binary tournament (lower
/// front, then the less crowded). A child takes each setting from either parent (uniform crossover, as Optuna's default);
/// a mutated number moves by Deb's polynomial mutation (η = 20, in the parameter's unit scale: log for log-sampled ones),
/// a mutated choice is drawn afresh. Uniform crossover beat simulated binary crossover on ZDT1/ZDT2 (both measured:
/// docs/guide/search.md), as it suits settings that matter each on their own. Stateless: a generation is a
/// slice of the observations, so the same seed and journal give the same trial, and a resumed study samples what an
/// unbroken one would.
/// </summary>
[Implements(typeof(Nsga2SamplerSpec))]
public sealed class Nsga2Sampler(Nsga2SamplerSpec spec, int seed) : ISampler
{
    private const double Eta = 20;

    public ParameterPoint Sample(IReadOnlyList<SearchParameter> space, int sample, IReadOnlyList<Observation> observations)
    {
        var scored = ScoredOf(observations);
        var generation = scored.Count / spec.PopulationSize;
        if (generation == 0) return new RandomSampler(seed).Sample(space, sample, observations);
        var parents = Parents(scored, generation);
        var points = parents.Select(p => p.Objectives).ToList();
        var fronts = Pareto.Fronts(points);
        var crowding = Pareto.Crowding(points, fronts);
        var random = SeededRandom.For(seed, $"search-nsga2-{sample}");
        // A child equal to a trial already run would train the same spec with the same seed again: breed another, and
        // after a few tries also draw one of its settings afresh (a small mutation may not move a short int range at all).
        var seen = observations.Select(o => o.Point.Values).ToList();
        for (var attempt = 0; ; attempt++)
        {
            var child = Child(space, parents, fronts, crowding, random);
            if (attempt >= MaxRebreeds / 4)
            {
                var values = child.Values.ToArray();
                var d = random.Next(space.Count);
                values[d] = space[d].Distribution.Sample(random);
                child = new ParameterPoint(values);
            }
            if (attempt == MaxRebreeds || !seen.Any(v => v.SequenceEqual(child.Values))) return child;
        }
    }

    private const int MaxRebreeds = 20;

    private ParameterPoint Child(IReadOnlyList<SearchParameter> space, List<Scored> parents, int[] fronts, double[] crowding, Random random)
    {
        int Tournament()
        {
            var (a, b) = (random.Next(parents.Count), random.Next(parents.Count));
            return fronts[a] != fronts[b] ? (fronts[a] < fronts[b] ? a : b) : crowding[a] >= crowding[b] ? a : b;
        }
        var (first, second) = (parents[Tournament()].Point.Values, parents[Tournament()].Point.Values);
        var crossover = random.NextDouble() < spec.CrossoverProbability;
        var mutation = spec.MutationProbability ?? 1.0 / space.Count;
        return new ParameterPoint(space.Select((parameter, d) =>
        {
            var distribution = parameter.Distribution;
            var value = crossover && random.NextDouble() < 0.5 ? second[d] : first[d];
            if (random.NextDouble() >= mutation) return value;
            return distribution is ChoiceDistribution ? distribution.Sample(random)
                : distribution.FromUnit(Math.Clamp(PolynomialMutation(distribution.ToUnit(value), random), 0, 1 - 1e-12));
        }).ToList());
    }

    /// <summary>The completed observations with every objective known, as (point, oriented objectives), in trial order.</summary>
    private static List<Scored> ScoredOf(IReadOnlyList<Observation> observations)
    {
        var complete = observations.Where(o => o.Complete).Select(o => new Scored(o.Point, o.Objectives ?? [o.Value])).ToList();
        var dimensions = complete.Count == 0 ? 0 : complete.Max(o => o.Objectives.Count);
        return complete.Where(o => o.Objectives.Count == dimensions).ToList();
    }

    /// <summary>The parents of generation <paramref name="generation"/>: elitist selection carried through every generation before it.</summary>
    private List<Scored> Parents(
        List<Scored> scored, int generation)
    {
        var size = spec.PopulationSize;
        var population = scored.Take(size).ToList();
        for (var g = 1; g < generation; g++)
            population = Select([.. population, .. scored.Skip(g * size).Take(size)], size);
        return population;
    }

    /// <summary>The best <paramref name="size"/> of a pool: whole fronts in order, the front that does not fit cut by crowding distance.</summary>
    private static List<Scored> Select(List<Scored> pool, int size)
    {
        var points = pool.Select(p => p.Objectives).ToList();
        var fronts = Pareto.Fronts(points);
        var crowding = Pareto.Crowding(points, fronts);
        return Enumerable.Range(0, pool.Count).OrderBy(i => fronts[i]).ThenByDescending(i => crowding[i]).ThenBy(i => i)
            .Take(size).Select(i => pool[i]).ToList();
    }

    /// <summary>Deb's bounded polynomial mutation of a value in [0, 1]: small steps likely, the bounds respected.</summary>
    private static double PolynomialMutation(double y, Random random)
    {
        var u = random.NextDouble();
        var power = 1 / (Eta + 1);
        var step = u < 0.5
            ? Math.Pow(2 * u + (1 - 2 * u) * Math.Pow(1 - y, Eta + 1), power) - 1
            : 1 - Math.Pow(2 * (1 - u) + 2 * (u - 0.5) * Math.Pow(y, Eta + 1), power);
        return Math.Clamp(y + step, 0, 1);
    }

    private sealed record Scored(ParameterPoint Point, IReadOnlyList<double> Objectives);
}
