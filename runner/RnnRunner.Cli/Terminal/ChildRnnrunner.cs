using System.Diagnostics;

namespace RnnRunner.Cli.Terminal;

/// <summary>This very executable started again as a child whose output is not wanted (a study's extra worker, a benchmark's study).</summary>
public static class ChildRnnrunner
{
    /// <summary>Starts it with <paramref name="arguments"/>; its output is read and dropped so it never blocks on a full pipe.</summary>
    public static Process Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }
}
