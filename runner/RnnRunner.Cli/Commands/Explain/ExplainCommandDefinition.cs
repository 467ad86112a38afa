using System.CommandLine;

namespace RnnRunner.Cli.Commands.Explain;

public static class ExplainCommandDefinition
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "A finished run folder (its trained weights)." };
        var text = new Option<string?>("--text") { Description = "Your own text (a text model; encoded and padded as predict does)." };
        var file = new Option<string?>("--file") { Description = "Your own text, read from this file (a review saved as .txt): as --text." };
        var input = new Option<string?>("--input", "-i")
        {
            Description = "A file of texts, one page each: lines of a .txt, or a CSV/TSV/JSON Lines column (as predict reads it).",
        };
        var column = new Option<string?>("--column") { Description = "The --input column to read (default: the training table's text column, else text)." };
        var example = new Option<int>("--example") { Description = "Which training example to explain, when no --text or --file is given.", DefaultValueFactory = _ => 0 };
        var engine = SharedOptions.InspectionEngine();
        var command = new Command("explain", "Why a trained model said what it said about one sequence: a page in the run's explanations/ folder "
            + "(each word's part by integrated gradients and by occlusion, the prediction after each word, every recurrent layer's hidden state and gates as heatmaps) "
            + "with the same numbers as JSON, and a summary here.\n\n"
            + "Examples:\n  rnnrunner explain results/imdb-lstm/001-20261124T101500Z --text \"a slow start, then wonderful\"\n"
            + "  rnnrunner explain results/imdb-lstm/001-20261124T101500Z --input reviews.txt\n"
            + "  rnnrunner explain results/tickets/001-20261207T015606Z --example 3 --json")
        {
            run, text, file, input, column, example, engine,
        };
        command.SetAction(parse => ExplainCommand.Execute(new ExplainCommand.Request(parse.GetValue(run)!, parse.GetValue(text), parse.GetValue(example),
            parse.GetValue(SharedOptions.Json), parse.GetValue(engine))
        { File = parse.GetValue(file), Input = parse.GetValue(input), Column = parse.GetValue(column) }, Composition.Of(parse), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }
}
