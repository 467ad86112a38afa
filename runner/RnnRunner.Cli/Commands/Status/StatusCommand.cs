using System.Globalization;
using RnnRunner.Core.Grids;
using RnnRunner.Core.Results;
using RnnRunner.Core.Search;

namespace RnnRunner.Cli.Commands.Status;

/// <summary>
/// <c>rnnrunner status</c>: a grid's or study's trials by state — done, running (and by whom), interrupted, paused,
/// pruned, failed, pending — read from the folder alone, so it works on a cluster's shared results while jobs run.
/// </summary>
public static class StatusCommand
{
    public static int Execute(string folder, bool json, TextWriter output, TextWriter errors)
    {
        if (!Directory.Exists(folder))
        {
            errors.WriteLine($"error: {folder}: no such folder");
            return ExitCodes.InvalidInput;
        }
        var (kind, name, expected, unsampled) = Describe(folder);
        if (kind is null)
        {
            errors.WriteLine($"error: {folder}: not a grid or study folder (no grid.json, {StudyManifest.FileName} or trials/)");
            return ExitCodes.InvalidInput;
        }
        var rows = TrialsStatus.Of(folder, expected);
        var counts = rows.GroupBy(r => r.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Name(g.Key)}").ToList();
        if (unsampled > 0) counts.Add($"{unsampled} not sampled yet");
        if (json)
        {
            JsonOutput.Write(output, new
            {
                folder = Path.GetFullPath(folder), kind, name, not_sampled = unsampled,
                trials = rows.Select(r => new { trial = r.Trial, state = Name(r.State), epochs = r.Epochs, holder = r.Holder, message = r.Message }),
            });
            return ExitCodes.Success;
        }
        output.WriteLine($"{kind} {name} ({Path.GetFullPath(folder)}): {rows.Count + unsampled} trials — {string.Join(", ", counts)}");
        foreach (var r in rows)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r.Trial,-32} {Name(r.State),-12} {r.Epochs,4} epoch{(r.Epochs == 1 ? " " : "s")}  {r.Holder ?? r.Message ?? ""}").TrimEnd());
        return ExitCodes.Success;
    }

    private static string Name(TrialProgress state) => state.ToString().ToLowerInvariant();

    /// <summary>What the folder is, its name, the trials it should hold, and (a study) how many are still to be sampled.</summary>
    private static (string? Kind, string Name, IReadOnlyList<string>? Expected, int Unsampled) Describe(string folder)
    {
        if (GridManifest.TryRead(folder) is { } grid) return ("grid", grid.Name, grid.Trials.Select(t => t.Name).ToList(), 0);
        if (StudyManifest.TryRead(folder) is { } study)
        {
            var trials = StudyState.Replay(new StudyJournal(folder).Read()).Trials;
            return ("study", study.Name, trials.Select(t => t.Name).ToList(), Math.Max(0, study.Trials - trials.Count));
        }
        return Directory.Exists(new GridFolder(folder).Trials) ? ("folder", Path.GetFileName(Path.GetFullPath(folder)), null, 0) : (null, "", null, 0);
    }
}
