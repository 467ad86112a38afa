using System.Diagnostics;

namespace RnnRunner.Core.Engines;

/// <summary>Steady-state time of a repeated call: one warm-up call (allocations, lazy set-up), then a mean.</summary>
public static class StepTimer
{
    /// <summary>
    /// Mean milliseconds of <paramref name="call"/> after a warm-up: at least <paramref name="minCalls"/> calls and
    /// <paramref name="minSeconds"/>, at most <paramref name="maxCalls"/>.
    /// </summary>
    public static double MeanMilliseconds(Action call, int minCalls = 3, double minSeconds = 2, int maxCalls = int.MaxValue)
    {
        call();
        var clock = Stopwatch.StartNew();
        var calls = 0;
        while (calls < minCalls || (clock.Elapsed.TotalSeconds < minSeconds && calls < maxCalls))
        {
            call();
            calls++;
        }
        return clock.Elapsed.TotalMilliseconds / calls;
    }
}
