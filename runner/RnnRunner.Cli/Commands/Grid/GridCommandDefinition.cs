using System.CommandLine;

namespace RnnRunner.Cli.Commands.Grid;

public static class GridCommandDefinition
{
    public static Command Create()
    {
        var file = new Argument<string>("grid") { Description = "The grid file: a base spec and its variations." };
        var dryRun = new Option<bool>("--dry-run") { Description = "List every trial (name, what differs, parameters) and run nothing." };
        var failFast = new Option<bool>("--fail-fast") { Description = "Stop at the first trial that does not complete." };
        var resume = new Option<string?>("--resume") { Description = "Continue this grid folder (default: the latest folder of the same grid)." };
        var shard = new Option<string?>("--shard")
        {
            Description = "Run only the i-th of N deterministic slices (e.g. 2/8), for cluster array jobs; all shards share one folder.",
        };
        var jobs = new Option<int>("--jobs", "-j")
        {
            Description = "Trials to run side by side, each in its own process with its share of the cores.",
            DefaultValueFactory = _ => 1,
        };
        var noReport = new Option<bool>("--no-report")
        {
            Description = "Do not write the comparison when done (array tasks leave it to one report job: rnnrunner compare <grid folder>).",
        };
        var command = new Command("grid", "Run a grid of experiments; running it again skips completed trials and resumes the rest.\n\n"
            + "Examples:\n  rnnrunner grid experiments/basics/compare-cells.yaml --dry-run\n  rnnrunner grid experiments/imdb/compare-cells.yaml\n"
            + "  rnnrunner grid experiments/imdb/compare-cells.yaml --shard $SLURM_ARRAY_TASK_ID/4")
        {
            file, dryRun, failFast, resume, shard, jobs, noReport, Run.RunCommandDefinition.Results,
        };
        command.SetAction(parse => GridCommand.Execute(parse.GetValue(file)!, parse.GetValue(dryRun), parse.GetValue(failFast),
            parse.GetValue(resume), parse.GetValue(shard), parse.GetValue(jobs), parse.GetValue(noReport), parse.GetValue(Run.RunCommandDefinition.Results)!,
            parse.GetValue(SharedOptions.Json),
            new ConsoleStreams(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error), Composition.Of(parse)));
        return command;
    }
}
