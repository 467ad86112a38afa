using System.Diagnostics;

namespace RnnRunner.Core.Engines;

/// <summary>Steady-state time of a repeated call: one warm-up call (allocations, lazy set-up), then the mean or the quickest of the timed calls.</summary>
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

    /// <summary>
    /// The quickest of <paramref name="calls"/> calls after a warm-up, in milliseconds: what the call costs when
    /// nothing else on the machine interferes (other work lengthens some calls, rarely all of them).
    /// </summary>
    public static double QuickestMilliseconds(Action call, int calls)
    {
        call();
        var quickest = double.MaxValue;
        for (var i = 0; i < calls; i++)
        {
            var clock = Stopwatch.StartNew();
            call();
            quickest = Math.Min(quickest, clock.Elapsed.TotalMilliseconds);
        }
        return quickest;
    }
}
