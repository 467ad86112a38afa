using FsCheck;
using FsCheck.Fluent;
using RnnRunner.Core.Search;
using RnnRunner.Core.Search.Samplers;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Tests.Search;

/// <summary>Distributions keep to their bounds and grids; samplers are deterministic, even, and (TPE) learn where the optimum is.</summary>
public class SamplerTests
{
    private static readonly SourceMark Nowhere = new("test", 0, 0);

    private static ChoiceDistribution Choice(params string[] values) =>
        new(values.Select(v => (SpecNode)new ScalarNode(v, true, Nowhere)).ToList());

    private static readonly Distribution[] Distributions =
    [
        new FloatDistribution(-2, 3, Log: false), new FloatDistribution(1e-5, 1e-1, Log: true),
        new IntDistribution(16, 128, 16, Log: false), new IntDistribution(1, 1000, 1, Log: true), Choice("lstm", "gru", "simple_rnn"),
    ];

    [Fact]
    public void Every_distribution_gives_only_values_in_its_bounds_and_on_its_grid_from_anywhere_in_the_unit_interval()
    {
        var point = from d in Gen.Choose(0, Distributions.Length - 1)
                    from u in Gen.Choose(0, 1_000_000).Select(n => Math.Min(n / 1_000_000.0, Math.BitDecrement(1.0)))
                    select (d, u);

        Prop.ForAll(Arb.From(point), p => Distributions[p.d].Contains(Distributions[p.d].FromUnit(p.u)))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void Every_value_of_a_grid_is_reached_and_its_ends_too()
    {
        var random = new Random(1);
        var units = Enumerable.Range(0, 2000).Select(_ => new IntDistribution(16, 128, 16, false).Sample(random)).Distinct().Order();
        var floats = Enumerable.Range(0, 2000).Select(_ => new FloatDistribution(0, 1, false).Sample(random)).ToList();

        Assert.Equal([16.0, 32, 48, 64, 80, 96, 112, 128], units);
        Assert.True(floats.Min() < 0.01 && floats.Max() > 0.99);
    }

    [Fact]
    public void A_log_uniform_draw_is_uniform_in_the_logarithm_so_each_decade_gets_its_share()
    {
        var random = new Random(2);
        var values = Enumerable.Range(0, 8000).Select(_ => new FloatDistribution(1e-5, 1e-1, Log: true).Sample(random)).ToList();

        var perDecade = values.GroupBy(v => (int)Math.Floor(Math.Log10(v))).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([-5, -4, -3, -2], perDecade.Keys.Order());
        Assert.All(perDecade.Values, count => Assert.InRange(count, 1800, 2200)); // 2000 expected in each
    }

    [Fact]
    public void Halton_puts_the_first_b_to_the_k_points_one_in_each_of_as_many_equal_bins_per_dimension()
    {
        var halton = new HaltonSampler(seed: 5);

        var base2 = Enumerable.Range(0, 16).Select(n => (int)(halton.Coordinate(n, 0) * 16)).Order();
        var base3 = Enumerable.Range(0, 27).Select(n => (int)(halton.Coordinate(n, 1) * 27)).Order();

        Assert.Equal(Enumerable.Range(0, 16), base2);
        Assert.Equal(Enumerable.Range(0, 27), base3);
        Assert.NotEqual(new HaltonSampler(seed: 6).Coordinate(3, 0), halton.Coordinate(3, 0)); // scrambled by the seed
    }

    [Theory]
    [InlineData("random")]
    [InlineData("halton")]
    [InlineData("tpe")]
    public void The_same_seed_sample_number_and_observations_give_the_same_point(string name)
    {
        var space = Distributions.Select((d, i) => new SearchParameter($"p{i}", d)).ToList();
        ISampler Make(int seed) => Samplers.Named(name, seed);
        var history = Enumerable.Range(0, 12).Select(n => new Observation(Make(3).Sample(space, n, []), n % 5, 4, true)).ToList();

        Assert.Equal(Make(3).Sample(space, 12, history).Values, Make(3).Sample(space, 12, history).Values);
        Assert.NotEqual(Make(3).Sample(space, 12, history).Values, Make(4).Sample(space, 12, history).Values);
    }

    /// <summary>Runs a sampler on an objective for <paramref name="trials"/> trials and returns the points it chose.</summary>
    private static List<Observation> Optimise(ISampler sampler, IReadOnlyList<SearchParameter> space, Func<IReadOnlyList<double>, double> objective, int trials)
    {
        var history = new List<Observation>();
        for (var n = 0; n < trials; n++)
        {
            var point = sampler.Sample(space, n, history);
            history.Add(new Observation(point, objective(point.Values), 1, true));
        }
        return history;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Tpe_concentrates_its_samples_near_the_minimum_of_a_one_dimensional_objective(int seed)
    {
        var space = new[] { new SearchParameter("x", new FloatDistribution(0, 1, false)) };
        static double Objective(IReadOnlyList<double> x) => (x[0] - 0.7) * (x[0] - 0.7);

        var tpe = Optimise(new TpeSampler(seed), space, Objective, 100);
        var random = Optimise(new RandomSampler(seed), space, Objective, 100);

        // The last 40 samples: TPE's sit near 0.7; random ones anywhere (median distance about 0.25).
        double MedianDistance(List<Observation> h) => h.Skip(60).Select(o => Math.Abs(o.Point.Values[0] - 0.7)).Order().ElementAt(20);
        Assert.True(MedianDistance(tpe) < 0.08, $"TPE's median distance {MedianDistance(tpe):F3}");
        Assert.True(MedianDistance(tpe) < MedianDistance(random) / 2.5, $"TPE {MedianDistance(tpe):F3} vs random {MedianDistance(random):F3}");
    }

    [Fact]
    public void Tpe_learns_the_best_choice_and_the_best_decade_of_a_log_scaled_parameter()
    {
        var space = new[]
        {
            new SearchParameter("cell", Choice("lstm", "gru", "simple_rnn")),
            new SearchParameter("lr", new FloatDistribution(1e-6, 1, Log: true)),
        };
        static double Objective(IReadOnlyList<double> p) => (p[0] == 1 ? 0 : 1) + Math.Pow(Math.Log10(p[1]) + 3, 2) / 10;

        var tpe = Optimise(new TpeSampler(seed: 2), space, Objective, 80).Skip(40).ToList();

        Assert.True(tpe.Count(o => o.Point.Values[0] == 1) >= 30, $"{tpe.Count(o => o.Point.Values[0] == 1)} of 40 chose the best cell");
        Assert.True(tpe.Count(o => o.Point.Values[1] is > 1e-4 and < 1e-2) >= 25, $"{tpe.Count(o => o.Point.Values[1] is > 1e-4 and < 1e-2)} of 40 near 1e-3");
    }

    [Fact]
    public void Tpe_ranks_pruned_trials_after_complete_ones_so_a_partial_good_value_does_not_lead_it()
    {
        var space = new[] { new SearchParameter("x", new FloatDistribution(0, 1, false)) };
        // Complete trials are best near 0.2; pruned ones report smaller (partial) values near 0.9.
        var history = Enumerable.Range(0, 40).Select(n =>
        {
            var x = (n + 0.5) / 40;
            return n % 2 == 0 ? new Observation(new ParameterPoint([x]), Math.Abs(x - 0.2), 10, true) : new Observation(new ParameterPoint([x]), -1 + Math.Abs(x - 0.9), 2, false);
        }).ToList();

        var samples = Enumerable.Range(40, 20).Select(n => new TpeSampler(seed: 3).Sample(space, n, history).Values[0]).ToList();

        // Ranked by value alone, the pruned trials near 0.9 would be the good ones and draw the samples there.
        Assert.True(samples.Count(x => x < 0.5) >= 16, string.Join(", ", samples.Select(x => x.ToString("F2"))));
    }

    [Fact]
    public void Gamma_and_weights_follow_optuna_s_defaults()
    {
        Assert.Equal([1, 1, 2, 10, 25, 25], new[] { 1, 10, 11, 100, 250, 1000 }.Select(TpeSampler.Gamma));
        Assert.Equal(Enumerable.Repeat(1.0, 24), TpeSampler.Weights(24));
        var w = TpeSampler.Weights(35);
        Assert.Equal(1.0 / 35, w[0], 12); // a ramp from 1/n over the oldest n - 25 ...
        Assert.Equal(1.0, w[9], 12);
        Assert.Equal(Enumerable.Repeat(1.0, 25), w[10..]); // ... and the newest 25 in full
    }

    [Fact]
    public void Every_sampler_a_study_can_name_has_exactly_one_registered_implementation_built_with_its_settings()
    {
        var named = SpecSchema.UnionOf(typeof(SamplerSpec)).Variants.Select(v => v.Value);
        Assert.Equal(named.OrderBy(t => t.Name), Samplers.Specs.OrderBy(t => t.Name));
        Assert.IsType<HaltonSampler>(Samplers.Create(new HaltonSamplerSpec(), seed: 1));
        Assert.Equal(5, Assert.IsType<TpeSampler>(Samplers.Create(new TpeSamplerSpec { StartupTrials = 5 }, seed: 1)).StartupTrials);
    }

    [Fact]
    public void A_sampler_spec_nobody_registered_is_an_error_not_another_sampler()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Samplers.Create(new UnregisteredSamplerSpec(), seed: 1));

        Assert.Contains("no ISampler is registered for UnregisteredSamplerSpec", error.Message);
    }

    private sealed record UnregisteredSamplerSpec : SamplerSpec;
}
