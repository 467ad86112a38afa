using System.Globalization;
using System.Text.RegularExpressions;

namespace RnnRunner.Cli.Commands.Submit;

/// <summary>
/// A <c>--time</c> limit in Slurm's formats ("minutes", "minutes:seconds", "hours:minutes:seconds", "days-hours",
/// "days-hours:minutes", "days-hours:minutes:seconds", or UNLIMITED / INFINITE), read so that the stop signal can be
/// placed inside it and a typo is refused before anything is submitted rather than by sbatch after the folder exists.
/// </summary>
public sealed partial record SlurmTime(string Text, TimeSpan? Limit)
{
    /// <summary>How long before the limit a task is told to stop, at most: time for the batch in flight and a checkpoint.</summary>
    public static readonly TimeSpan LongestLead = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Seconds before the limit at which a task gets SIGTERM: two minutes, or a quarter of a shorter limit — a lead
    /// as long as the limit itself would signal the task as it starts, before it has trained anything (Slurm also
    /// sends the signal up to a minute early, its event resolution).
    /// </summary>
    public int SignalLeadSeconds => (int)(Limit is { } limit && limit < 4 * LongestLead ? limit / 4 : LongestLead).TotalSeconds;

    public static bool TryParse(string text, out SlurmTime time)
    {
        time = new SlurmTime(text, null);
        if (text.Trim().ToUpperInvariant() is "UNLIMITED" or "INFINITE") return true;
        var m = Format().Match(text.Trim());
        if (!m.Success) return false;
        var numbers = m.Groups["clock"].Value.Split(':').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        var limit = m.Groups["days"].Success
            ? new TimeSpan(int.Parse(m.Groups["days"].Value, CultureInfo.InvariantCulture), numbers[0], numbers.ElementAtOrDefault(1), numbers.ElementAtOrDefault(2))
            : numbers.Length switch
            {
                1 => TimeSpan.FromMinutes(numbers[0]),
                2 => new TimeSpan(0, numbers[0], numbers[1]),
                _ => new TimeSpan(numbers[0], numbers[1], numbers[2]),
            };
        if (limit <= TimeSpan.Zero) return false;
        time = new SlurmTime(text, limit);
        return true;
    }

    [GeneratedRegex(@"^(?:(?<days>\d+)-)?(?<clock>\d+(?::\d+){0,2})$")]
    private static partial Regex Format();
}
