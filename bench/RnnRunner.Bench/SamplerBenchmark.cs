using System.Globalization;
using RnnRunner.Core.Search;
using RnnRunner.Core.Search.Samplers;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Yaml;
using Serilog;

namespace RnnRunner.Bench;

/// <summary>
/// How quickly each sampler finds good points on cheap synthetic objectives (no training): Branin (2-D), Hartmann
/// (6-D) and a mix of a log-scaled rate, a stepped integer, a choice and a float. For each seed, random search's best
/// after the whole budget is the bar; each sampler's figure is the trial at which it first reaches that bar, as a share
/// of the budget (the target: TPE's median ≤ 50 %). The first section of docs/SEARCH.md.
/// </summary>
public static class SamplerBenchmark
{
    private const int Budget = 100, Seeds = 30;
    private static readonly string[] Samplers = ["random", "halton", "tpe"];

    private sealed record Problem(string Name, string Description, IReadOnlyList<SearchParameter> Space, Func<IReadOnlyList<double>, double> Objective, double Optimum);

    /// <summary>One problem's figures: per sampler, the median share of the budget to reach random's final best, and the median final best.</summary>
    private sealed record Outcome(Problem Problem, IReadOnlyDictionary<string, double> MedianShare, IReadOnlyDictionary<string, int> Reached,
        IReadOnlyDictionary<string, double> MedianBest);

    /// <summary>Measures every sampler on every problem and returns the report's section.</summary>
    public static string Section() => Report(Problems().Select(Measure).ToList());

    /// <summary>
    /// Whether the study report's importance (PED-ANOVA) names the setting that matters: on Mixed, where the learning
    /// rate's term dominates by construction, over <see cref="Seeds"/> seeds of 50 and 100 random trials (random, so
    /// the points are the same kind of spread a report sees early, not a sampler's clustering), how often each
    /// parameter ranks first and its median share.
    /// </summary>
    public static string ImportanceSection()
    {
        var mixed = Problems().Single(p => p.Name == "Mixed");
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("## Which setting mattered: importance recovered on a known objective");
        sb.AppendLine();
        sb.AppendLine($"The study report's importance (PED-ANOVA, as optuna-dashboard computes it) on **Mixed**, whose answer is known: its");
        sb.AppendLine("learning-rate term spans 0 to 9 over the range, the units' 0 to 1.4, the cell's 0 to 0.6 and dropout's 0 to 0.16, so the");
        sb.AppendLine($"learning rate should rank first, then units. Random trials, {Seeds} seeds per row.");
        sb.AppendLine();
        sb.AppendLine("| trials | parameter | ranked first | median share |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var trials in new[] { 50, 100 })
        {
            var results = Enumerable.Range(0, Seeds).Select(seed =>
            {
                var sampler = new RandomSampler(seed);
                var points = Enumerable.Range(0, trials).Select(n => sampler.Sample(mixed.Space, n, [])).Select(p => (p, mixed.Objective(p.Values))).ToList();
                return ParameterImportance.Of(mixed.Space, points);
            }).ToList();
            foreach (var parameter in mixed.Space)
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {trials} | {parameter.Path} | {results.Count(r => r[0].Path == parameter.Path)} of {Seeds} | {Median(results.Select(r => r.Single(i => i.Path == parameter.Path).Share).ToList()):P0} |"));
        }
        return sb.ToString();
    }

    private static Outcome Measure(Problem problem)
    {
        var shares = Samplers.ToDictionary(s => s, _ => new List<double>());
        var bests = Samplers.ToDictionary(s => s, _ => new List<double>());
        for (var seed = 0; seed < Seeds; seed++)
        {
            var curves = Samplers.ToDictionary(s => s, s => RunningBest(Sampler(s, seed), problem));
            var bar = curves["random"][^1];
            foreach (var s in Samplers)
            {
                var first = Array.FindIndex(curves[s], v => v <= bar);
                shares[s].Add(first < 0 ? double.PositiveInfinity : (first + 1) / (double)Budget);
                bests[s].Add(curves[s][^1]);
            }
        }
        Log.Information("{Problem}: median share of the budget to reach random's best: {Shares}", problem.Name,
            string.Join(", ", Samplers.Select(s => $"{s} {Median(shares[s]):P0}")));
        return new Outcome(problem, Samplers.ToDictionary(s => s, s => Median(shares[s])),
            Samplers.ToDictionary(s => s, s => shares[s].Count(double.IsFinite)), Samplers.ToDictionary(s => s, s => Median(bests[s])));
    }

    private static ISampler Sampler(string name, int seed) =>
        RnnRunner.Core.Search.Samplers.Samplers.Named(name, seed);

    /// <summary>The best objective so far after each trial.</summary>
    private static double[] RunningBest(ISampler sampler, Problem problem)
    {
        var history = new List<Observation>();
        var best = new double[Budget];
        for (var n = 0; n < Budget; n++)
        {
            var point = sampler.Sample(problem.Space, n, history);
            var value = problem.Objective(point.Values);
            history.Add(new Observation(point, value, 1, true));
            best[n] = Math.Min(value, n > 0 ? best[n - 1] : double.PositiveInfinity);
        }
        return best;
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static IEnumerable<Problem> Problems()
    {
        SearchParameter Float(string name, double low, double high, bool log = false) => new(name, new FloatDistribution(low, high, log));
        yield return new Problem("Branin", "2-D, x1 ∈ [-5, 10], x2 ∈ [0, 15]; three global minima of 0.397887",
            [Float("x1", -5, 10), Float("x2", 0, 15)], Branin, 0.397887);
        yield return new Problem("Hartmann-6", "6-D on the unit cube; one global minimum of -3.32237, several local ones",
            Enumerable.Range(1, 6).Select(i => Float($"x{i}", 0, 1)).ToList(), Hartmann6, -3.32237);
        var cells = new[] { "lstm", "gru", "simple_rnn" }.Select(c => (SpecNode)new ScalarNode(c, true, new SourceMark("bench", 0, 0))).ToList();
        yield return new Problem("Mixed", "learning rate log-uniform on [1e-5, 1], units 8..256 by 8, cell one of three, dropout on [0, 0.5]; "
            + "minimum 0 at lr 2e-3, 120 units, lstm, dropout 0.2",
            [Float("lr", 1e-5, 1, log: true), new SearchParameter("units", new IntDistribution(8, 256, 8, false)),
             new SearchParameter("cell", new ChoiceDistribution(cells)), Float("dropout", 0, 0.5)], Mixed, 0);
    }

    private static double Branin(IReadOnlyList<double> x)
    {
        const double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, t = 1 / (8 * Math.PI);
        var inner = x[1] - b * x[0] * x[0] + c * x[0] - 6;
        return inner * inner + 10 * (1 - t) * Math.Cos(x[0]) + 10;
    }

    private static readonly double[] Alpha = [1.0, 1.2, 3.0, 3.2];
    private static readonly double[,] A =
    {
        { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 },
    };
    private static readonly double[,] P =
    {
        { 1312, 1696, 5569, 124, 8283, 5886 }, { 2329, 4135, 8307, 3736, 1004, 9991 },
        { 2348, 1451, 3522, 2883, 3047, 6650 }, { 4047, 8828, 8732, 5743, 1091, 381 },
    };

    private static double Hartmann6(IReadOnlyList<double> x)
    {
        var sum = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var exponent = 0.0;
            for (var j = 0; j < 6; j++) exponent += A[i, j] * Math.Pow(x[j] - P[i, j] * 1e-4, 2);
            sum += Alpha[i] * Math.Exp(-exponent);
        }
        return -sum;
    }

    private static double Mixed(IReadOnlyList<double> p) =>
        Math.Pow(Math.Log10(p[0]) - Math.Log10(2e-3), 2) + Math.Pow((p[1] - 120) / 100, 2) + new[] { 0, 0.15, 0.6 }[(int)p[2]] + 4 * Math.Pow(p[3] - 0.2, 2);

    private static string Report(IReadOnlyList<Outcome> outcomes)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("## Samplers on synthetic objectives");
        sb.AppendLine();
        sb.AppendLine($"Synthetic objectives, no training: each sampler gets {Budget} trials, {Seeds} seeds per problem. For each seed, the bar is");
        sb.AppendLine($"the best value random search found in all {Budget} trials; a sampler's figure is the trial at which it first reaches");
        sb.AppendLine("that bar, as a share of the budget (random's own figure is where it found its best). Medians over the seeds; a seed");
        sb.AppendLine("that never reaches the bar counts as ∞. TPE starts with 10 random trials, as Optuna's does.");
        sb.AppendLine();
        sb.AppendLine("| problem | sampler | median share of the budget to reach random's best | seeds that reached it | median best value |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var o in outcomes)
            foreach (var s in Samplers)
                sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {o.Problem.Name} | {s} | {(double.IsFinite(o.MedianShare[s]) ? $"{o.MedianShare[s]:P0}" : "∞")} | {o.Reached[s]} of {Seeds} | {o.MedianBest[s]:G5} |"));
        sb.AppendLine();
        foreach (var o in outcomes) sb.AppendLine($"- **{o.Problem.Name}**: {o.Problem.Description}.");
        sb.AppendLine();
        sb.AppendLine("Target (issue #17): TPE reaches random's final best in at most 50 % of the trials, median over seeds.");
        return sb.ToString();
    }
}
