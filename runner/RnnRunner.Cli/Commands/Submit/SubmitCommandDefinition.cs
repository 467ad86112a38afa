using System.CommandLine;

namespace RnnRunner.Cli.Commands.Submit;

public static class SubmitCommandDefinition
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The grid or study file to submit." };
        var tasks = new Option<int?>("--tasks") { Description = "Array tasks: a grid's shards (default: one per trial), a study's workers (default: up to 4)." };
        var throttle = new Option<int?>("--throttle") { Description = "At most this many tasks running at once (--array=1-N%K)." };
        var cpus = new Option<int>("--cpus-per-task") { Description = "Cores per task; each task trains with that many threads.", DefaultValueFactory = _ => 2 };
        var time = new Option<string?>("--time") { Description = "Each task's time limit (Slurm's format, e.g. 02:00:00); a task stops cleanly 2 minutes before it (a quarter of a limit under 8 minutes)." };
        var partition = new Option<string?>("--partition") { Description = "The Slurm partition." };
        var account = new Option<string?>("--account") { Description = "The Slurm account to charge." };
        var sbatchArgs = new Option<string[]>("--sbatch-arg")
        {
            Description = "A further #SBATCH line for the array (repeatable), e.g. --sbatch-arg=--mem=4G --sbatch-arg=--gres=gpu:1.",
            DefaultValueFactory = _ => [],
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print both scripts; write and submit nothing." };
        var slurm = new Command("slurm", "Submit a grid or study as a Slurm job array with a dependent report job. The scripts are written into the results "
            + "folder (slurm/array.sbatch, slurm/report.sbatch) with the task logs beside them; resubmit any tasks with sbatch --array=<ids> slurm/array.sbatch.\n\n"
            + "Examples:\n  rnnrunner submit slurm experiments/imdb/compare-cells.yaml --time 02:00:00 --dry-run\n"
            + "  rnnrunner submit slurm experiments/imdb/search-lstm.yaml --tasks 4 --cpus-per-task 4 --partition gpu --sbatch-arg=--gres=gpu:1")
        {
            file, tasks, throttle, cpus, time, partition, account, sbatchArgs, dryRun, Run.RunCommandDefinition.Results,
        };
        slurm.SetAction(parse => SubmitCommand.Execute(new SubmitCommand.Request(parse.GetValue(file)!, parse.GetValue(tasks), parse.GetValue(throttle),
                parse.GetValue(cpus), parse.GetValue(time), parse.GetValue(partition), parse.GetValue(account), parse.GetValue(sbatchArgs)!,
                parse.GetValue(dryRun), parse.GetValue(Run.RunCommandDefinition.Results)!, parse.GetValue(SharedOptions.Json)),
            new ConsoleStreams(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error)));
        return new Command("submit", "Submit a grid or study to a cluster scheduler (Slurm).") { slurm };
    }
}
