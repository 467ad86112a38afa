using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RnnRunner.Core.Settings;

namespace RnnRunner.Core.Running;

/// <summary>What a child rnnrunner left: its exit code and what it wrote.</summary>
public sealed record ChildOutcome(int ExitCode, string Output, string Errors);

/// <summary>
/// The one way RnnRunner starts itself again — a grid's side-by-side trials, a study's extra workers, a benchmark's
/// runs: the executable with its arguments, output always drained (a child never blocks on a full pipe), an interrupt
/// passed on as Ctrl-C (so it stops at its own safe point and keeps its checkpoint), and results read from its
/// <c>--json</c> output, never from its human-readable lines.
/// </summary>
/// <param name="Executable">The rnnrunner program to start: this very one (<see cref="ThisProgram"/>) or a path.</param>
public sealed record ChildRnnrunner(string Executable)
{
    /// <summary>The program this process is.</summary>
    public static ChildRnnrunner ThisProgram => new(Environment.ProcessPath!);

    /// <summary>
    /// Starts a child; <paramref name="parentProcessId"/> marks it as this process's trial (it may train under this
    /// process's claim on its folder, and stops if this process dies).
    /// </summary>
    public Process Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, int? parentProcessId = null)
    {
        var start = StartInfo(arguments, environment, parentProcessId);
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    /// <summary>Runs a child to its end; <paramref name="interrupt"/> reaches it as Ctrl-C.</summary>
    public ChildOutcome Run(IEnumerable<string> arguments, CancellationToken interrupt = default,
        IReadOnlyDictionary<string, string>? environment = null, int? parentProcessId = null)
    {
        using var process = Process.Start(StartInfo(arguments, environment, parentProcessId))!;
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using (interrupt.Register(() => Interrupt(process)))
            process.WaitForExit();
        return new ChildOutcome(process.ExitCode, output.Result, errors.Result);
    }

    /// <summary>
    /// <c>rnnrunner run SPEC --results ROOT --set …</c> to its end; returns the run folder its <c>--json</c> output names.
    /// </summary>
    public string Train(string specPath, string resultsRoot, IEnumerable<string> overrides, IReadOnlyDictionary<string, string>? environment = null)
    {
        List<string> arguments = ["run", specPath, "--results", resultsRoot, "--quiet", "--json", .. overrides.SelectMany(o => new[] { "--set", o })];
        var outcome = Run(arguments, environment: environment);
        return ResultsFolder(outcome.Output) is { } folder
            ? Path.GetFullPath(folder)
            : throw new InvalidOperationException($"{Path.GetFileName(specPath)}: the run named no results folder (exit {outcome.ExitCode}): {outcome.Errors.Trim()}");
    }

    /// <summary>Asks a child to stop as Ctrl-C would (SIGINT); kills it where signals cannot be sent.</summary>
    public static void Interrupt(Process process)
    {
        try { Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)])?.WaitForExit(); }
        catch (System.ComponentModel.Win32Exception) { process.Kill(); }
    }

    /// <summary>The "results" member of a command's --json output, or null.</summary>
    private static string? ResultsFolder(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("results", out var results) ? results.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private ProcessStartInfo StartInfo(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, int? parentProcessId)
    {
        var start = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        if (parentProcessId is { } parent)
            start.Environment[Switchboard.ParentProcessVariable] = parent.ToString(CultureInfo.InvariantCulture);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }
}
