using System.Runtime.InteropServices;
using RnnRunner.Core.Settings;

namespace RnnRunner.Cli.Terminal;

/// <summary>
/// A grid's child trial process must not outlive the grid: if the parent named in $RNNRUNNER_PARENT_PID dies
/// (even by <c>kill -9</c>), the child is re-parented, and this notices within a second and interrupts the run as
/// Ctrl-C would — it stops at a safe point, keeps its checkpoint, and the next grid resumes it.
/// </summary>
public static partial class ParentWatch
{

    [LibraryImport("libc")]
    private static partial int getppid();

    /// <summary>Starts watching when this process was started by a grid; <paramref name="orphaned"/> runs once if the grid dies.</summary>
    public static void StartIfChild(Action orphaned)
    {
        if (!OperatingSystem.IsLinux() || Switchboard.Current.ParentProcessId is not { } parent) return;
        var thread = new Thread(() =>
        {
            while (getppid() == parent) Thread.Sleep(500);
            orphaned();
        })
        { IsBackground = true, Name = "parent watch" };
        thread.Start();
    }
}
