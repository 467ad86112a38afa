using System.Globalization;
using RnnRunner.Cli.Terminal;
using RnnRunner.Core.Comparisons;
using RnnRunner.Core.Grids;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using Serilog;

namespace RnnRunner.Cli.Commands.Grid;

/// <summary><c>rnnrunner grid</c>: check every trial, then list them (--dry-run) or run them and report how they ended.</summary>
public static class GridCommand
{
    public static int Execute(string file, bool dryRun, bool failFast, string? resume, string? shardText, int jobs, bool noReport, string resultsRoot,
        bool json, ConsoleStreams console, Composition parts)
    {
        if (jobs < 1)
        {
            console.Error.WriteLine($"error: --jobs {jobs}: expected a positive number of trials to run side by side");
            return ExitCodes.InvalidInput;
        }
        if (!TryParseShard(shardText, console.Error, out var shard) || Load(file, console.Error) is not { } grid) return ExitCodes.InvalidInput;
        var options = new GridOptions(resultsRoot) { FailFast = failFast, ResumeFolder = resume, Shard = shard, Jobs = jobs, WriteReport = !noReport };
        if (dryRun) return List(grid, options, json, console.Out);
        if (shard is { } empty && GridRunner.TrialsOf(grid, shard).Count == 0)
        {
            // An array larger than the grid: this task has nothing to do, and must not touch the shared folder.
            console.Error.WriteLine($"shard {empty.Index}/{empty.Count} holds no trial of this grid's {grid.Trials.Count}; nothing to do");
            return ExitCodes.Success;
        }

        using var interrupts = Interrupts.Listen(console.Error);
        GridOutcome outcome;
        try
        {
            ITrialExecutor executor = jobs == 1
                ? new InProcessTrials(parts.NewRun, parts.RunOptions(resultsRoot, progress: null))
                : new ChildProcessTrials(Math.Max(1, (parts.Threads ?? Environment.ProcessorCount) / jobs));
            outcome = new GridRunner(executor, Log.Logger, parts.ComparisonCharts()).Run(grid, options, interrupts.Token);
        }
        catch (ResumeException e)
        {
            console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        ResultsIndexPage.TryWrite(resultsRoot, warning => console.Error.WriteLine($"warning: {warning}"));
        if (json) JsonOutput.Write(console.Out, new { results = outcome.Folder, trials = ComparisonColumns.Json(outcome.Comparison), groups = ComparisonColumns.GroupsJson(outcome.Comparison) });
        else console.Out.WriteLine($"Results: {outcome.Folder}");
        return ExitCode(grid, shard, outcome, console.Error);
    }

    /// <summary><c>--shard i/N</c> as (i, N), or null without the option; false (with the error printed) when malformed.</summary>
    private static bool TryParseShard(string? text, TextWriter errors, out (int Index, int Count)? shard)
    {
        shard = null;
        if (text is null) return true;
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var index) || !int.TryParse(parts[1], out var count) || count < 1 || index < 1 || index > count)
        {
            errors.WriteLine($"error: --shard {text}: expected i/N with 1 ≤ i ≤ N, e.g. 2/8");
            return false;
        }
        shard = (index, count);
        return true;
    }

    /// <summary>The grid with every trial validated and checked against this machine, or null after printing the errors.</summary>
    private static ExpandedGrid? Load(string file, TextWriter errors)
    {
        try
        {
            var grid = GridExpander.LoadFile(file);
            foreach (var trial in grid.Trials) SpecInput.CheckRunnable(trial.Spec);
            SpecInput.Warn(grid.Trials.Select(t => t.Spec), errors);
            return grid;
        }
        catch (SpecException e)
        {
            SpecInput.Print(e.Errors, errors);
            return null;
        }
    }

    /// <summary>The trials a run would start (a shard's only), and the folder it would use — so a dependent job can find it.</summary>
    private static int List(ExpandedGrid grid, GridOptions options, bool json, TextWriter output)
    {
        var trials = GridRunner.TrialsOf(grid, options.Shard);
        var folder = GridRunner.PlannedFolder(grid, options);
        if (json)
        {
            JsonOutput.Write(output, new
            {
                folder, trials = trials.Select(t => new
                {
                    t.Name, t.Identity, Settings = t.Settings.Select(s => $"{s.Path}: {s.Label}"), Parameters = t.Spec.Plan.TorchParameters,
                }),
            });
            return ExitCodes.Success;
        }
        var shard = options.Shard is { } s ? $" (shard {s.Index}/{s.Count} of {grid.Trials.Count})" : "";
        output.WriteLine($"{grid.Spec.Name}: {trials.Count} trials{shard}");
        output.WriteLine($"folder: {folder ?? $"a new folder under {Path.GetFullPath(Path.Combine(options.ResultsRoot, grid.Spec.Name))}"}");
        foreach (var t in trials)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {t.Name,-32} {t.Spec.Plan.TorchParameters,12:N0} params  {t.Identity}  {string.Join(", ", t.Settings.Select(s => $"{s.Path}={s.Label}"))}"));
        return ExitCodes.Success;
    }

    /// <summary>0 when every trial of this shard completed; 130 when interrupted; else 1, saying what is missing.</summary>
    private static int ExitCode(ExpandedGrid grid, (int Index, int Count)? shard, GridOutcome outcome, TextWriter errors)
    {
        if (outcome.Interrupted)
        {
            errors.WriteLine("interrupted: run the same grid again to continue (completed trials are skipped)");
            return ExitCodes.Interrupted;
        }
        foreach (var busy in outcome.Busy) errors.WriteLine($"warning: trial {busy} is being run by another process; left to it");
        var failed = outcome.Trials.Count(t => t.Summary.Status != RunStatus.Completed);
        var mine = shard is { } s ? grid.Trials.Where((_, i) => i % s.Count == s.Index - 1).Count() : grid.Trials.Count;
        var notRun = mine - outcome.Trials.Count - outcome.Busy.Count;
        if (failed + notRun == 0 && outcome.Busy.Count == 0) return ExitCodes.Success;
        if (failed + notRun == 0)
            errors.WriteLine($"error: {outcome.Busy.Count} trial(s) are still being run elsewhere; run the grid again when they finish for the full comparison");
        else
            errors.WriteLine($"error: {failed} trial(s) did not complete{(notRun > 0 ? $", {notRun} not run (--fail-fast)" : "")}; see comparison.md");
        return ExitCodes.RunFailed;
    }
}
