using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using RnnRunner.Core.Search;
using RnnRunner.Core.Search.Samplers;
using RnnRunner.Core.Specs;
using Serilog;

namespace RnnRunner.Bench;

/// <summary>
/// Multi-objective search against a known front and a peer: ZDT1 (convex front) and ZDT2 (concave) on ten variables,
/// both objectives minimised; each sampler's hypervolume after 100 and 300 trials against the reference point
/// (1.1, 11), just beyond the worst value either objective can take. RnnRunner's nsga2 (its default population of 20,
/// and Optuna's 50) and random search, beside Optuna 4.1's NSGAIISampler from scripts/optuna-reference.sh's lines.
/// </summary>
public static class ParetoBenchmark
{
    private const int Variables = 10, Seeds = 30;
    private static readonly int[] Checkpoints = [100, 300];
    private static readonly (double F1, double F2) Reference = (1.1, 11);

    private sealed record Row(string Problem, string Sampler, IReadOnlyList<double> Medians, IReadOnlyList<double> Worst);

    public static string Section(IReadOnlyList<string> optunaFiles)
    {
        var rows = new List<Row>();
        foreach (var problem in new[] { "ZDT1", "ZDT2" })
        {
            rows.Add(Measure(problem, "nsga2 (population 20, the default)", seed => new Nsga2Sampler(new Nsga2SamplerSpec(), seed)));
            rows.Add(Measure(problem, "nsga2 (population 50)", seed => new Nsga2Sampler(new Nsga2SamplerSpec { PopulationSize = 50 }, seed)));
            rows.Add(Measure(problem, "random", seed => new RandomSampler(seed)));
            rows.AddRange(Optuna(problem, optunaFiles));
        }
        return Report(rows, optunaFiles);
    }

    /// <summary>ZDT1/ZDT2: f1 = x1, g = 1 + 9·mean(x2..xn), f2 = g·(1 − √(f1/g)) or g·(1 − (f1/g)²); the front is g = 1.</summary>
    public static (double F1, double F2) Zdt(string problem, IReadOnlyList<double> x)
    {
        var g = 1 + 9 * x.Skip(1).Average();
        var ratio = x[0] / g;
        return (x[0], g * (1 - (problem == "ZDT1" ? Math.Sqrt(ratio) : ratio * ratio)));
    }

    /// <summary>The true front's hypervolume: the reference box less the area under f2 = 1 − √f1 (1/3) or 1 − f1² (2/3).</summary>
    private static double FrontHypervolume(string problem) => Reference.F1 * Reference.F2 - (problem == "ZDT1" ? 1 / 3.0 : 2 / 3.0);

    private static Row Measure(string problem, string name, Func<int, ISampler> make)
    {
        var space = Enumerable.Range(0, Variables).Select(i => new SearchParameter($"x{i}", new FloatDistribution(0, 1, false))).ToList();
        var volumes = Checkpoints.Select(_ => new List<double>()).ToList();
        for (var seed = 0; seed < Seeds; seed++)
        {
            var sampler = make(seed);
            var history = new List<Observation>();
            for (var n = 0; n < Checkpoints[^1]; n++)
            {
                var point = sampler.Sample(space, n, history);
                var (f1, f2) = Zdt(problem, point.Values);
                history.Add(new Observation(point, f1, 1, true, [f1, f2]));
                var checkpoint = Array.IndexOf(Checkpoints, n + 1);
                if (checkpoint >= 0) volumes[checkpoint].Add(Pareto.Hypervolume2D(history.Select(o => (o.Objectives![0], o.Objectives[1])), Reference));
            }
        }
        Log.Information("{Problem} {Sampler}: median hypervolume {Volumes}", problem, name, string.Join(" / ", volumes.Select(v => SamplerBenchmark.Median(v).ToString("F3", CultureInfo.InvariantCulture))));
        return new Row(problem, name, volumes.Select(SamplerBenchmark.Median).ToList(), volumes.Select(v => v.Min()).ToList());
    }

    /// <summary>Optuna's rows, one per population size, from the JSON lines of scripts/optuna-reference.py.</summary>
    private static IEnumerable<Row> Optuna(string problem, IReadOnlyList<string> files)
    {
        var lines = files.SelectMany(File.ReadAllLines).Where(l => l.TrimStart().StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var version = lines.Select(l => (string?)l["optuna"]).FirstOrDefault(v => v is not null) ?? "?";
        foreach (var group in lines.Where(l => (string?)l["problem"] == problem).GroupBy(l => (int)l["population"]!).OrderBy(g => g.Key == 50 ? 0 : 1))
        {
            var volumes = Checkpoints.Select(n => group.Select(l => (double)l[$"hv{n}"]!).ToList()).ToList();
            yield return new Row(problem, $"Optuna {version} NSGAIISampler (population {group.Key}{(group.Key == 50 ? ", its default" : "")}, {group.Count()} seeds)",
                volumes.Select(SamplerBenchmark.Median).ToList(), volumes.Select(v => v.Min()).ToList());
        }
    }

    private static string Report(List<Row> rows, IReadOnlyList<string> optunaFiles)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## Several objectives: NSGA-II on ZDT1 and ZDT2");
        sb.AppendLine();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"ZDT1 (convex front) and ZDT2 (concave) on {Variables} variables, both objectives minimised, no training. The score is the hypervolume "));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"of every trial so far against the reference point ({Reference.F1}, {Reference.F2}), just beyond the worst value each objective can take; "));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"larger is better, and the true front's is {FrontHypervolume("ZDT1"):F3} (ZDT1) and {FrontHypervolume("ZDT2"):F3} (ZDT2). Medians over {Seeds} seeds; the worst seed in brackets."));
        sb.AppendLine(optunaFiles.Count == 0
            ? "Optuna's rows are missing: run `sudo scripts/optuna-reference.sh > optuna.jsonl` and pass `--optuna optuna.jsonl`."
            : "Optuna's rows come from `sudo scripts/optuna-reference.sh` (Debian 13's python3-optuna in a chroot), the same problems and reference point.");
        sb.AppendLine();
        sb.AppendLine("| problem | sampler | " + string.Join(" | ", Checkpoints.Select(n => $"hypervolume after {n} trials")) + " |");
        sb.AppendLine("|---|---|" + string.Concat(Checkpoints.Select(_ => "---|")));
        foreach (var row in rows)
            sb.AppendLine($"| {row.Problem} | {row.Sampler} | " + string.Join(" | ", row.Medians.Select((m, i) =>
                string.Create(CultureInfo.InvariantCulture, $"{m:F3} ({row.Worst[i]:F3})"))) + " |");
        sb.AppendLine();
        sb.AppendLine("Target (issue #31): RnnRunner's nsga2 reaches at least Optuna NSGA-II's hypervolume at 100 and 300 trials.");
        return sb.ToString();
    }
}
