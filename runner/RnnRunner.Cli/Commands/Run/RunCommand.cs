using RnnRunner.Cli.Terminal;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Storage;

namespace RnnRunner.Cli.Commands.Run;

public static class RunCommand
{
    /// <summary>Relative to the current directory when inside it (results/…), else absolute.</summary>
    internal static string Display(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    public static int Execute(string specPath, IReadOnlyList<string> overrides, string resultsRoot, string? into, bool json, ConsoleStreams console, Composition parts)
    {
        var loaded = SpecInput.TryLoad(specPath, overrides, console.Error, out var problems);
        if (loaded is null)
        {
            // Scripts get the errors as data, in the same form as validate --json.
            if (json) JsonOutput.Write(console.Out, new { valid = false, errors = problems.Select(JsonOutput.ErrorJson.From) });
            return ExitCodes.InvalidInput;
        }
        return into is null
            ? Train(console, json, resultsRoot, parts, (run, options, token) => run.Execute(loaded, options, token), indexRoot: resultsRoot)
            : Train(console, json, resultsRoot, parts, (run, options, token) =>
            {
                using var claim = RunLock.Acquire(into); // before CreateAt empties the folder
                return run.ExecuteIn(RunFolder.CreateAt(into), loaded, options, token);
            });
    }

    /// <summary>What run and resume share: signals, progress, exporters, and turning the outcome into an exit code.</summary>
    /// <param name="indexRoot">The results folder whose index.html to rewrite when the run ends (none for a grid's trial: its grid does).</param>
    internal static int Train(ConsoleStreams console, bool json, string resultsRoot, Composition parts,
        Func<ExperimentRun, RunOptions, CancellationToken, RunOutcome> work, string? indexRoot = null)
    {
        using var interrupts = Interrupts.Listen(console.Error);
        var progress = console.IsInteractive ? new TrainingProgressDisplay() : null;
        RunOutcome outcome;
        try
        {
            var options = parts.RunOptions(resultsRoot, progress);
            outcome = work(parts.NewRun(), options, interrupts.Token);
        }
        catch (Exception e) when (e is RunInUseException or FolderNotReplaceableException)
        {
            console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.Error.WriteLine($"error: cannot write results under '{resultsRoot}': {e.Message}");
            return ExitCodes.RunFailed;
        }
        finally
        {
            progress?.Dispose();
        }

        if (indexRoot is not null) ResultsIndexPage.TryWrite(indexRoot, warning => console.Error.WriteLine($"warning: {warning}"), interrupts.Token);
        var summary = outcome.Summary;
        if (json) JsonOutput.Write(console.Out, new { results = outcome.Folder.Path, summary });
        else console.Out.WriteLine($"Results: {Display(outcome.Folder.Path)}");
        switch (summary.Status)
        {
            case RunStatus.Completed:
                return ExitCodes.Success;
            case RunStatus.Interrupted:
                console.Error.WriteLine($"interrupted: {summary.EpochsRun} complete epoch(s) kept; continue with: rnnrunner resume {Display(outcome.Folder.Path)}");
                return ExitCodes.Interrupted;
            default:
                console.Error.WriteLine($"error: run {summary.Status.ToString().ToLowerInvariant()}: {summary.Message}");
                return ExitCodes.RunFailed;
        }
    }
}
