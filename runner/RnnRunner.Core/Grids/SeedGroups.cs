using RnnRunner.Core.Results;

namespace RnnRunner.Core.Grids;

/// <summary>
/// Which runs may be averaged as seed repeats: only those whose resolved specs (spec.resolved.yaml) differ in
/// nothing but the seed. Runs that share a name but not a spec — SGD and Adam, torch and scratch, 8 and 40
/// epochs — become separate groups, each labelled with the settings that set it apart.
/// </summary>
public static class SeedGroups
{
    public static IReadOnlyList<Comparison.ComparedRun> Assign(IReadOnlyList<Comparison.ComparedRun> runs)
    {
        var specs = runs.ToDictionary(r => r, SpecWithoutSeed);
        var result = new List<Comparison.ComparedRun>(runs.Count);
        foreach (var byName in runs.GroupBy(r => r.Group))
        {
            var variants = byName.Select(r => specs[r]).OfType<string[]>().Select(Key).Distinct().ToList();
            if (variants.Count <= 1) { result.AddRange(byName); continue; }
            var shared = byName.Select(r => specs[r]).OfType<string[]>().Aggregate((a, b) => a.Intersect(b).ToArray());
            foreach (var run in byName)
            {
                if (specs[run] is not { } lines) { result.Add(run); continue; }
                var own = string.Join("; ", lines.Except(shared).Select(l => l.Trim()));
                result.Add(run with { Group = $"{run.Group} ({own})", Settings = $"seed: {run.Summary.Seed}; {own}" });
            }
        }
        return result;
    }

    private static string Key(string[] lines) => string.Join('\n', lines);

    /// <summary>Top-level keys that say what a run is called, not what it computes.</summary>
    private static readonly string[] Ignored = ["seed:", "name:", "description:"];

    /// <summary>
    /// The run's resolved spec as lines (written by SpecWriter, so equal specs give equal lines), without its seed,
    /// name, description and comments; null when the folder has none.
    /// </summary>
    private static string[]? SpecWithoutSeed(Comparison.ComparedRun run)
    {
        var path = RunFolder.At(run.Folder).SpecResolved;
        if (!File.Exists(path)) return null;
        return File.ReadAllLines(path)
            .Where(l => !Ignored.Any(k => l.StartsWith(k, StringComparison.Ordinal)) && l.Trim().Length > 0 && !l.TrimStart().StartsWith('#'))
            .ToArray();
    }
}
