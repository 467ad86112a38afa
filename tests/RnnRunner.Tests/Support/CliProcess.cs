using System.Diagnostics;

namespace RnnRunner.Tests.Support;

/// <summary>Starts the real rnnrunner executable (built beside the tests) as a separate process.</summary>
public static class CliProcess
{
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "rnnrunner");

    public static Process Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>Starts the executable with extra environment variables.</summary>
    public static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return Process.Start(start)!;
    }

    public static (int Exit, string Out, string Err) Run(params string[] args) => Run(new Dictionary<string, string>(), args);

    public static (int Exit, string Out, string Err) Run(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Wait(Start(environment, args));

    /// <summary>Runs a command line through bash in <paramref name="workingDirectory"/>, as a user would type it.</summary>
    public static (int Exit, string Out, string Err) RunShell(string command, string workingDirectory) =>
        Wait(Process.Start(new ProcessStartInfo("bash", ["-c", command])
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!);

    private static (int Exit, string Out, string Err) Wait(Process started)
    {
        using var process = started;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
