using System.Globalization;
using RnnRunner.Core.Grids;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
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
        List<string> arguments = resume
            ? ["resume", folder]
            : ["run", trial.Spec.SourcePath, .. trial.Spec.Overrides.SelectMany(o => new[] { "--set", o }), "--set", $"name={trial.Name}", "--into", folder];
        arguments.AddRange(["--threads", threadsPerJob.ToString(CultureInfo.InvariantCulture), "-q"]);
        // The child trains under this process's claim on the trial, and stops (keeping its checkpoint) if this process dies.
        var outcome = ChildRnnrunner.ThisProgram.Run(arguments, cancellation, parentProcessId: Environment.ProcessId);

        if (RunSummary.TryRead(RunFolder.At(folder).Summary, out var damage) is { } summary) return summary;
        return new RunSummary
        {
            Name = trial.Name, RunId = Path.GetFileName(folder), Status = RunStatus.Failed,
            Message = $"the trial's process exited with {outcome.ExitCode}: {(damage ?? outcome.Errors).Trim()}",
            Engine = SpecNames.Of(trial.Spec.Spec.Engine), Device = SpecNames.Of(trial.Spec.Spec.Device),
            Seed = trial.Spec.Spec.Seed, StartedUtc = DateTime.UtcNow,
            Parameters = trial.Spec.Plan.TorchParameters, ParametersKerasConvention = trial.Spec.Plan.KerasParameters,
            Versions = new Dictionary<string, string>(),
        };
    }
}
