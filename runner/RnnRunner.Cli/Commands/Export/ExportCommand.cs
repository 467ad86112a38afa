using System.Globalization;
using RnnRunner.Core.Data;
using RnnRunner.Core.Export;
using RnnRunner.Core.Reports;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Storage;

namespace RnnRunner.Cli.Commands.Export;

/// <summary>
/// <c>rnnrunner export</c>: a trained run as files other tools read — ONNX, or safetensors with a PyTorch module — with
/// its config, tokenizer and model card, in a folder written whole or not at all.
/// </summary>
public static class ExportCommand
{
    public sealed record Request(string RunFolder, IReadOnlyList<ExportFormat> Formats, string? Output, bool Json);

    public static int Execute(Request request, Composition parts, TextWriter output, TextWriter errors)
    {
        try
        {
            if (!Directory.Exists(request.RunFolder)) throw new DirectoryNotFoundException($"{request.RunFolder}: no such run folder");
            using var engines = parts.Engines();
            var (folder, check, notChecked) = ModelExport.Write(RunFolder.Open(request.RunFolder), request.Formats.Count > 0 ? request.Formats : [ExportFormat.Onnx], request.Output, engines);
            var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(f => new FileInfo(f)).ToList();
            if (request.Json)
                JsonOutput.Write(output, new { folder, files = files.Select(f => new { name = f.Name, bytes = f.Length }), onnx_check = check, not_checked = notChecked });
            else
            {
                output.WriteLine($"Exported to {TerminalText.Escape(folder)}:");
                foreach (var file in files) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {file.Name,-18} {Size(file.Length),10}"));
                if ((check?.Describe() ?? notChecked) is { } said) output.WriteLine($"Checked: {TerminalText.Escape(said)}.");
            }
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is ExportException or InvalidDataException or DirectoryNotFoundException or DatasetException or DamagedFileException
                                      or SpecException or IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"error: {TerminalText.Escape(e.Message.Split(Environment.NewLine)[0])}");
            return ExitCodes.InvalidInput;
        }
    }

    private static string Size(long bytes) => bytes switch
    {
        < 1 << 10 => $"{bytes} B",
        < 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB"),
    };
}
