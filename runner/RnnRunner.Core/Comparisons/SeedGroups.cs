using RnnRunner.Core.Results;

namespace RnnRunner.Core.Comparisons;

/// <summary>
/// Which runs may be averaged as seed repeats: only those whose resolved specs differ in nothing but the seed.
/// Runs that share a name but not a spec — SGD and Adam, torch and scratch, 8 and 40 epochs — become separate
/// groups, each labelled with the settings that set it apart ("basic-rnn (engine: scratch)").
/// </summary>
public static class SeedGroups
{
    public static IReadOnlyList<ComparedRun> Assign(IReadOnlyList<ComparedRun> runs)
    {
        var result = new List<ComparedRun>(runs.Count);
        foreach (var byName in runs.GroupBy(r => r.Group))
        {
            var specified = byName.Where(r => r.Settings.ByPath.Count > 0).ToList();
            if (specified.Select(r => Key(WithoutSeed(r))).Distinct().Count() <= 1) { result.AddRange(byName); continue; }
            var shared = specified.Select(WithoutSeed).Aggregate((a, b) => a.Intersect(b).ToList());
            foreach (var run in byName)
            {
                if (run.Settings.ByPath.Count == 0) { result.Add(run); continue; }
                var own = string.Join("; ", WithoutSeed(run).Except(shared).Select(s => $"{s.Key}: {s.Value}"));
                result.Add(run with { Group = $"{run.Group} ({own})" });
            }
        }
        return result;
    }

    /// <summary>Every setting but the seed and the run's name and description, in spec order.</summary>
    private static List<KeyValuePair<string, string>> WithoutSeed(ComparedRun run) => run.Settings.ByPath
        .Where(s => s.Key != "seed" && !RunSettings.Descriptive.Contains(s.Key)).ToList();

    private static string Key(IEnumerable<KeyValuePair<string, string>> settings) => string.Join('\n', settings.Select(s => $"{s.Key}={s.Value}"));
}
