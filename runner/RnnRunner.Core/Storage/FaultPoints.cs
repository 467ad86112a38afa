using System.Globalization;
using RnnRunner.Core.Settings;

namespace RnnRunner.Core.Storage;

/// <summary>
/// Deterministic crash points for the reliability tests and the soak script. With
/// <c>RNNRUNNER_KILL_AT=&lt;point&gt;:&lt;file name or *&gt;[:&lt;n&gt;]</c> the process kills itself with SIGKILL — exactly
/// what <c>kill -9</c> does — the n-th time (default 1) it reaches that point for that file, so a test can land a
/// kill between two renames every time instead of hoping a timer does. Unset (always, outside tests), each point is
/// one comparison.
/// </summary>
public static class FaultPoints
{
    /// <summary>A file's new content is complete under its temporary name, not yet renamed into place.</summary>
    public const string BeforeRename = "before-rename";

    /// <summary>A file's new content has just been renamed into place.</summary>
    public const string AfterRename = "after-rename";

    /// <summary>A run folder has just been allocated, nothing written in it yet.</summary>
    public const string AfterAllocate = "after-allocate";

    private static readonly FaultTarget? Target = Switchboard.Current.KillAt;
    private static int _reached;

    public static void Reach(string point, string path)
    {
        if (Target is not { } target || target.Point != point) return;
        if (target.File != "*" && target.File != Path.GetFileName(path)) return;
        if (Interlocked.Increment(ref _reached) == target.Nth)
            System.Diagnostics.Process.GetCurrentProcess().Kill(); // SIGKILL: no finally blocks, no flushing
    }

}
