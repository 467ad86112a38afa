using System.CommandLine;

namespace RnnRunner.Cli.Commands.Predict;

public static class PredictCommandDefinition
{
    public static Command Create()
    {
        var run = new Argument<string>("run-folder") { Description = "A completed run of a text model, e.g. results/lstm/001-…" };
        var text = new Option<string[]>("--text", "-t")
        {
            Description = "A review to score (repeat for several).",
            DefaultValueFactory = _ => [],
        };
        var file = new Option<string[]>("--file", "-f")
        {
            Description = "A file holding one review (repeat for several).",
            DefaultValueFactory = _ => [],
        };
        var command = new Command("predict", "Print the positive-sentiment probability of each review, with a trained run's vocabulary and weights.\n\n"
            + "Examples:\n  rnnrunner predict results/lstm/001-20261124T120000Z --text \"A wonderful, moving film.\"\n"
            + "  rnnrunner predict results/lstm/001-20261124T120000Z --file review.txt")
        {
            run, text, file,
        };
        command.SetAction(parse => PredictCommand.Execute(parse.GetValue(run)!, parse.GetValue(text)!, parse.GetValue(file)!,
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
