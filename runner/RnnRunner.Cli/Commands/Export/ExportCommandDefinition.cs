using System.CommandLine;
using RnnRunner.Core.Export;

namespace RnnRunner.Cli.Commands.Export;

public static class ExportCommandDefinition
{
    public static Command Create()
    {
        var run = new Argument<string>("run") { Description = "A finished run folder (its trained weights)." };
        var format = new Option<ExportFormat[]>("--format")
        {
            Description = "onnx (default): model.onnx for ONNX Runtime and every ONNX tool; safetensors: model.safetensors with model.py, "
                + "a plain PyTorch module that loads it. Repeat for both.",
            CustomParser = result => [.. result.Tokens.Select(t => t.Value.ToLowerInvariant() switch
            {
                "onnx" => ExportFormat.Onnx,
                "safetensors" => ExportFormat.Safetensors,
                var other => Refuse(result, other),
            })],
        };
        var output = new Option<string?>("--output", "-o")
        {
            Description = "The folder to write (default: the run's export/). An earlier export there is replaced once the new one is complete; a folder of other files never is.",
        };
        var command = new Command("export", "Take a trained model elsewhere: ONNX (opset 17; before it is written, ONNX Runtime runs it beside the run's engine on test examples), or safetensors "
            + "with a generated PyTorch module; with config.json (inputs, outputs, classes), tokenizer.json for a text model and MODEL_CARD.md.\n\n"
            + "Examples:\n  rnnrunner export results/lstm/001-20261207T050949Z\n"
            + "  rnnrunner export results/lstm/001-20261207T050949Z --format onnx --format safetensors -o lstm-model\n"
            + "  rnnrunner predict --model lstm-model --text \"a wonderful film\"")
        {
            run, format, output,
        };
        command.SetAction(parse => ExportCommand.Execute(new ExportCommand.Request(parse.GetValue(run)!, [.. (parse.GetValue(format) ?? []).Distinct()], parse.GetValue(output),
            parse.GetValue(SharedOptions.Json)), Composition.Of(parse), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static ExportFormat Refuse(System.CommandLine.Parsing.ArgumentResult result, string value)
    {
        result.AddError($"--format {value}: choose onnx or safetensors");
        return ExportFormat.Onnx;
    }
}
