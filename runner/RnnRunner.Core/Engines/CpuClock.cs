using System.Diagnostics;
using System.Globalization;

namespace RnnRunner.Core.Engines;

/// <summary>
/// What an interval cost in CPU, beside its wall time: this process's CPU seconds, and the share of the machine's CPU
/// time that other processes took meanwhile (from /proc/stat). Wall time alone measures the neighbours as much as the
/// model, while its CPU time barely changes (docs/CONTENTION.md). Speed
/// figures (metrics.csv, summary.json, comparisons) carry both, and the share says how busy the machine was.
/// </summary>
public readonly record struct CpuClock(long WallTimestamp, TimeSpan ProcessCpu, MachineTicks? Machine)
{
    public static CpuClock Start() => new(Stopwatch.GetTimestamp(), Environment.CpuUsage.TotalTime, MachineTicks.Read());

    /// <summary>What the interval from this start until now cost.</summary>
    public CpuInterval Elapsed()
    {
        var now = Start();
        var wall = Stopwatch.GetElapsedTime(WallTimestamp, now.WallTimestamp).TotalSeconds;
        var cpu = (now.ProcessCpu - ProcessCpu).TotalSeconds;
        double? others = null;
        if (Machine is { } before && now.Machine is { } after && after.Total > before.Total)
        {
            // Ticks are per core: the machine's capacity over the interval is (total ticks) / ticks per second.
            var busySeconds = (after.Busy - before.Busy) / MachineTicks.PerSecond;
            var capacitySeconds = (after.Total - before.Total) / MachineTicks.PerSecond;
            others = Math.Clamp((busySeconds - cpu) / capacitySeconds, 0, 1);
        }
        return new CpuInterval(wall, cpu, others);
    }
}

/// <param name="WallSeconds">Elapsed time.</param>
/// <param name="CpuSeconds">This process's CPU time (user and system, all its threads).</param>
/// <param name="OthersShare">The share of the machine's CPU time other processes used (0: quiet; 0.5 on 2 cores: a whole core); null where /proc/stat is not there.</param>
public sealed record CpuInterval(double WallSeconds, double CpuSeconds, double? OthersShare);

/// <summary>The machine's CPU time so far, all cores together, in clock ticks (/proc/stat's first line).</summary>
public readonly record struct MachineTicks(double Busy, double Total)
{
    /// <summary>USER_HZ, which Linux fixes at 100 for /proc/stat whatever the kernel's own tick.</summary>
    public const double PerSecond = 100;

    public static MachineTicks? Read()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is not { Length: >= 8 } || fields[0] != "cpu") return null;
            var t = fields[1..].Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal (guest time is counted in user already)
            var idle = t[3] + t[4];
            var busy = t[0] + t[1] + t[2] + t[5] + t[6] + (t.Length > 7 ? t[7] : 0);
            return new MachineTicks(busy, busy + idle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
