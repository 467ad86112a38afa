using RnnRunner.Core.Search;
using RnnRunner.Core.Search.Samplers;
using RnnRunner.Core.Specs;

namespace RnnRunner.Tests.Search;

/// <summary>Pareto dominance, fronts, crowding and hypervolume against hand-worked cases; NSGA-II against random search on ZDT1.</summary>
public class ParetoTests
{
    private static IReadOnlyList<IReadOnlyList<double>> Points(params (double, double)[] points) =>
        points.Select(p => (IReadOnlyList<double>)[p.Item1, p.Item2]).ToList();

    [Fact]
    public void A_point_dominates_another_only_when_no_worse_anywhere_and_better_somewhere()
    {
        Assert.True(Pareto.Dominates([1, 2], [1, 3]));
        Assert.False(Pareto.Dominates([1, 2], [1, 2])); // equal: neither
        Assert.False(Pareto.Dominates([1, 4], [2, 3])); // a trade-off: neither
        Assert.False(Pareto.Dominates([2, 3], [1, 4]));
    }

    [Fact]
    public void The_non_dominated_sort_peels_fronts_in_order()
    {
        // Front 0: (1,5) (2,3) (4,1); front 1: (3,4) (5,2); front 2: (5,5), beaten by (3,4).
        var fronts = Pareto.Fronts(Points((3, 4), (1, 5), (5, 5), (2, 3), (5, 2), (4, 1)));

        Assert.Equal([1, 0, 2, 0, 1, 0], fronts);
    }

    [Fact]
    public void Crowding_gives_the_ends_infinity_and_the_middle_its_neighbours_normalised_gaps()
    {
        var points = Points((1, 5), (2, 3), (4, 1));

        var crowding = Pareto.Crowding(points, [0, 0, 0]);

        Assert.Equal(double.PositiveInfinity, crowding[0]);
        Assert.Equal(double.PositiveInfinity, crowding[2]);
        Assert.Equal((4 - 1) / 3.0 + (5 - 1) / 4.0, crowding[1], 12); // gaps of its neighbours over each objective's range
    }

    [Fact]
    public void Hypervolume_is_the_area_the_front_dominates_up_to_the_reference_point()
    {
        // Staircase under reference (5, 6): (1,5) adds 4×1, (2,3) adds 3×2, (4,1) adds 1×2; (3,4) is dominated.
        var area = Pareto.Hypervolume2D([(1, 5), (2, 3), (4, 1), (3, 4), (6, 0)], (5, 6));

        Assert.Equal(4 * 1 + 3 * 2 + 1 * 2, area, 12);
    }

    /// <summary>ZDT1 on ten variables: f1 = x1, f2 = g (1 − √(x1/g)), g = 1 + 9 mean(x2..x10); the front is g = 1.</summary>
    private static (double, double) Zdt1(IReadOnlyList<double> x)
    {
        var g = 1 + 9 * x.Skip(1).Average();
        return (x[0], g * (1 - Math.Sqrt(x[0] / g)));
    }

    private static double HypervolumeAfter(ISampler sampler, int trials)
    {
        var space = Enumerable.Range(0, 10).Select(i => new SearchParameter($"x{i}", new FloatDistribution(0, 1, false))).ToList();
        var history = new List<Observation>();
        for (var n = 0; n < trials; n++)
        {
            var point = sampler.Sample(space, n, history);
            var (f1, f2) = Zdt1(point.Values);
            history.Add(new Observation(point, f1, 1, true, [f1, f2]));
        }
        return Pareto.Hypervolume2D(history.Select(o => (o.Objectives![0], o.Objectives[1])), (1.1, 11));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Nsga2_gets_closer_to_the_zdt1_front_than_random_search_with_the_same_trials(int seed)
    {
        var nsga2 = HypervolumeAfter(new Nsga2Sampler(new Nsga2SamplerSpec(), seed), 300);
        var random = HypervolumeAfter(new RandomSampler(seed), 300);

        Assert.True(nsga2 > random + 0.5, $"NSGA-II {nsga2:F3} vs random {random:F3} (the true front's: {1.1 * 11 - 1 / 3.0:F3})");
    }

    [Fact]
    public void Nsga2_is_random_for_its_first_generation_and_the_same_journal_gives_the_same_child()
    {
        var space = new[] { new SearchParameter("x", new FloatDistribution(0, 1, false)), new SearchParameter("n", new IntDistribution(1, 64, 1, true)) };
        var spec = new Nsga2SamplerSpec { PopulationSize = 4 };
        var history = Enumerable.Range(0, 4).Select(n => new Observation(new RandomSampler(9).Sample(space, n, []), n, 1, true, [n, -n])).ToList();

        Assert.Equal(new RandomSampler(9).Sample(space, 2, history.Take(2).ToList()).Values, new Nsga2Sampler(spec, 9).Sample(space, 2, history.Take(2).ToList()).Values);
        var child = new Nsga2Sampler(spec, 9).Sample(space, 4, history);
        Assert.Equal(child.Values, new Nsga2Sampler(spec, 9).Sample(space, 4, history).Values);
        Assert.True(space[0].Distribution.Contains(child.Values[0]) && space[1].Distribution.Contains(child.Values[1]));
    }

    [Fact]
    public void Nsga2_breeds_again_rather_than_repeat_a_trial_already_run_which_would_train_the_same_spec_and_seed_twice()
    {
        var space = new[] { new SearchParameter("n", new IntDistribution(1, 4, 1, false)), new SearchParameter("m", new IntDistribution(1, 4, 1, false)) };
        var spec = new Nsga2SamplerSpec { PopulationSize = 4 };
        // Four trials of a 16-point space, all at one point but one: their children copy them unless mutated.
        var history = new List<Observation>
        {
            new(new ParameterPoint([1, 1]), 0, 1, true, [0, 1]), new(new ParameterPoint([1, 1]), 0, 1, true, [0, 1]),
            new(new ParameterPoint([1, 1]), 0, 1, true, [0, 1]), new(new ParameterPoint([2, 2]), 1, 1, true, [1, 0]),
        };

        var children = Enumerable.Range(4, 12).Select(n => new Nsga2Sampler(spec, 5).Sample(space, n, history)).ToList();

        Assert.All(children, c => Assert.DoesNotContain(history, o => o.Point.Values.SequenceEqual(c.Values)));
    }
}
