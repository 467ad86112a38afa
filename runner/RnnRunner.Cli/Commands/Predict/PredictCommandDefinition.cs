using System.CommandLine;

namespace RnnRunner.Cli.Commands.Predict;

public static class PredictCommandDefinition
{
    public static Command Create()
    {
        var run = new Argument<string?>("run-folder") { Description = "A completed run, e.g. results/lstm/001-… (or give --model).", Arity = ArgumentArity.ZeroOrOne };
        var model = new Option<string?>("--model", "-m")
        {
            Description = "An exported model instead of a run: model.onnx or its export folder (rnnrunner export), run by ONNX Runtime "
                + "without libtorch; texts are read through the folder's tokenizer.json.",
        };
        var text = new Option<string[]>("--text", "-t")
        {
            Description = "A text to score with a text model (repeat for several).",
            DefaultValueFactory = _ => [],
        };
        var file = new Option<string[]>("--file", "-f")
        {
            Description = "A file holding one text (repeat for several).",
            DefaultValueFactory = _ => [],
        };
        var input = new Option<string?>("--input", "-i")
        {
            Description = "A file of inputs, one prediction each: text lines (.txt), a CSV/TSV/JSON Lines with the training column, "
                + "a NumPy .npy/.npz (x_test, or the array --column names) for a model trained on arrays, "
                + "or for a time-series model a CSV with its columns (a prediction per window).",
        };
        var column = new Option<string?>("--column") { Description = "The --input column (or .npz array) to read (default: the training table's, else text or ids; x_test)." };
        var outputFile = new Option<string?>("--output", "-o") { Description = "Where the predictions CSV goes (default: standard output)." };
        var command = new Command("predict", "Predict with a trained run, encoding inputs exactly as in training (its vocabulary, its ids, its series "
            + "normalisation). --text/--file print each text's class and probability; --input writes a CSV: each input's place, class and "
            + "per-class probabilities, or predicted value, streamed in batches.\n\n"
            + "Examples:\n  rnnrunner predict results/lstm/001-20261124T120000Z --text \"A wonderful, moving film.\"\n"
            + "  rnnrunner predict results/tickets/001-20261202T110704Z --input new-tickets.csv --output predictions.csv\n"
            + "  rnnrunner predict results/weather/001-20261202T111334Z --input last-week.csv\n"
            + "  rnnrunner predict --model lstm-model/model.onnx --text \"A wonderful, moving film.\"")
        {
            run, model, text, file, input, column, outputFile,
        };
        command.SetAction(parse => PredictCommand.Execute(
            new PredictCommand.Request(parse.GetValue(run), parse.GetValue(text)!, parse.GetValue(file)!, parse.GetValue(input), parse.GetValue(column),
                parse.GetValue(outputFile))
            { Model = parse.GetValue(model) },
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, Composition.Of(parse)));
        return command;
    }
}
