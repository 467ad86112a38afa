using System.Diagnostics;
using RnnRunner.Cli.Terminal;
using RnnRunner.Core.Grids;
using RnnRunner.Core.Results;
using RnnRunner.Core.Training;

namespace RnnRunner.Cli.Commands.Grid;

/// <summary>
/// Runs each trial as a child <c>rnnrunner run … --into</c> (or <c>resume</c>) process, so trials can run side by
/// side: libtorch's random generator and thread pool are per process. The cores are divided among the jobs.
/// </summary>
public sealed class ChildProcessTrials(int threadsPerJob) : ITrialExecutor
{
    public RunSummary Run(Trial trial, string folder, bool resume, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        // The child trains under this process's claim on the trial, and stops (keeping its checkpoint) if this process dies.
        start.Environment[ParentWatch.Variable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        List<string> args = resume
            ? ["resume", folder]
            : ["run", trial.Spec.SourcePath, .. trial.Spec.Overrides.SelectMany(o => new[] { "--set", o }), "--set", $"name={trial.Name}", "--into", folder];
        foreach (var a in args.Concat(["--threads", threadsPerJob.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q"]))
            start.ArgumentList.Add(a);

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        // An interrupt reaches the child as one too: it stops at its own safe point and keeps its checkpoint.
        using var forward = cancellation.Register(() =>
        {
            try { Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit(); }
            catch (System.ComponentModel.Win32Exception) { process.Kill(); }
        });
        process.WaitForExit();

        if (RunSummary.TryRead(RunFolder.At(folder).Summary, out var damage) is { } summary) return summary;
        return new RunSummary
        {
            Name = trial.Name, RunId = Path.GetFileName(folder), Status = RunStatus.Failed,
            Message = $"the trial's process exited with {process.ExitCode}: {(damage ?? stderr.Result).Trim()}",
            Engine = Core.Specs.SpecNames.Of(trial.Spec.Spec.Engine), Device = Core.Specs.SpecNames.Of(trial.Spec.Spec.Device),
            Seed = trial.Spec.Spec.Seed, StartedUtc = DateTime.UtcNow,
            Parameters = trial.Spec.Plan.TorchParameters, ParametersKerasConvention = trial.Spec.Plan.KerasParameters,
            Versions = new Dictionary<string, string>(),
        };
    }
}
