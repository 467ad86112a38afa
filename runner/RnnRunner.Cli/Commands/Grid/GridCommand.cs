using RnnRunner.Core.Results;
using System.Globalization;
using RnnRunner.Cli.Terminal;
using RnnRunner.Core.Data;
using RnnRunner.Core.Grids;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Torch;
using RnnRunner.Plotting;
using RnnRunner.TensorBoard;
using Serilog;

namespace RnnRunner.Cli.Commands.Grid;

public static class GridCommand
{
    public static int Execute(string file, bool dryRun, bool failFast, string? resume, string? shardText, int jobs, string resultsRoot, bool json, ConsoleStreams console)
    {
        if (jobs < 1)
        {
            console.Error.WriteLine($"error: --jobs {jobs}: expected a positive number of trials to run side by side");
            return ExitCodes.InvalidInput;
        }
        (int, int)? shard = null;
        if (shardText is not null)
        {
            var parts = shardText.Split('/');
            if (parts.Length != 2 || !int.TryParse(parts[0], out var index) || !int.TryParse(parts[1], out var count) || count < 1 || index < 1 || index > count)
            {
                console.Error.WriteLine($"error: --shard {shardText}: expected i/N with 1 ≤ i ≤ N, e.g. 2/8");
                return ExitCodes.InvalidInput;
            }
            shard = (index, count);
        }
        ExpandedGrid grid;
        try
        {
            grid = GridExpander.LoadFile(file);
            foreach (var trial in grid.Trials) SpecInput.CheckRunnable(trial.Spec);
        }
        catch (SpecException e)
        {
            SpecInput.Print(e.Errors, console.Error);
            return ExitCodes.InvalidInput;
        }

        if (dryRun)
        {
            if (json)
                JsonOutput.Write(console.Out, grid.Trials.Select(t => new
                {
                    t.Name, t.Identity, Settings = t.Settings.Select(s => $"{s.Path}: {s.Label}"), Parameters = t.Spec.Plan.TorchParameters,
                }));
            else
            {
                console.Out.WriteLine($"{grid.Spec.Name}: {grid.Trials.Count} trials");
                foreach (var t in grid.Trials)
                    console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {t.Name,-32} {t.Spec.Plan.TorchParameters,12:N0} params  {t.Identity}  {string.Join(", ", t.Settings.Select(s => $"{s.Path}={s.Label}"))}"));
            }
            return ExitCodes.Success;
        }

        using var interrupts = Interrupts.Listen(console.Error);
        var runOptions = Composition.RunOptions(resultsRoot, progress: null);
        GridOutcome outcome;
        try
        {
            ITrialExecutor executor = jobs == 1
                ? new InProcessTrials(Composition.NewRun, runOptions)
                : new ChildProcessTrials(Math.Max(1, (Composition.Threads ?? Environment.ProcessorCount) / jobs));
            outcome = new GridRunner(executor, Log.Logger, new ComparisonCharts())
                .Run(grid, new GridOptions(resultsRoot) { FailFast = failFast, ResumeFolder = resume, Shard = shard, Jobs = jobs }, interrupts.Token);
        }
        catch (ResumeException e)
        {
            console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }

        if (json) JsonOutput.Write(console.Out, new { results = outcome.Folder, trials = Comparison.Rows(outcome.Trials) });
        else console.Out.WriteLine($"Results: {outcome.Folder}");
        if (outcome.Interrupted)
        {
            console.Error.WriteLine($"interrupted: run the same grid again to continue (completed trials are skipped)");
            return ExitCodes.Interrupted;
        }
        foreach (var busy in outcome.Busy) console.Error.WriteLine($"warning: trial {busy} is being run by another process; left to it");
        var failed = outcome.Trials.Count(t => t.Summary.Status != RunStatus.Completed);
        var mine = shard is { } s ? grid.Trials.Where((_, i) => i % s.Item2 == s.Item1 - 1).Count() : grid.Trials.Count;
        var notRun = mine - outcome.Trials.Count - outcome.Busy.Count;
        if (failed + notRun == 0 && outcome.Busy.Count == 0) return ExitCodes.Success;
        if (failed + notRun == 0)
        {
            console.Error.WriteLine($"error: {outcome.Busy.Count} trial(s) are still being run elsewhere; run the grid again when they finish for the full comparison");
            return ExitCodes.RunFailed;
        }
        console.Error.WriteLine($"error: {failed} trial(s) did not complete{(notRun > 0 ? $", {notRun} not run (--fail-fast)" : "")}; see comparison.md");
        return ExitCodes.RunFailed;
    }
}
