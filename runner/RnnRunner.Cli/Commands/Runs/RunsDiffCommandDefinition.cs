using System.CommandLine;

namespace RnnRunner.Cli.Commands.Runs;

public static class RunsDiffCommandDefinition
{
    public static Command Create()
    {
        var a = new Argument<string>("a") { Description = "A run folder, or a folder of seed repeats (results/<name>/, a grid's trials of one group)." };
        var b = new Argument<string>("b") { Description = "The run (or runs) to compare with it." };
        var command = new Command("diff", "What differs between two runs and whether it matters: the settings that differ (resolved spec, by path), "
            + "each metric with its change and a verdict on the monitored one (Welch's test over seeds when both sides have several), and "
            + "everything else that can change numbers: engine and kernels, versions, CPU, data, epochs run, early stopping.\n\n"
            + "Examples:\n  rnnrunner runs diff results/lstm/001-20261124T120000Z results/gru/001-20261124T121500Z\n"
            + "  rnnrunner runs diff results/lstm results/gru --json")
        {
            a, b,
        };
        command.SetAction(parse => RunsDiffCommand.Execute(parse.GetValue(a)!, parse.GetValue(b)!, parse.GetValue(SharedOptions.Json),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
