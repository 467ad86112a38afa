using System.Globalization;
using CsvHelper;
using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Table;
using RnnRunner.Core.Export;
using RnnRunner.Core.Reports;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Storage;

namespace RnnRunner.Cli.Commands.Predict;

/// <summary>
/// <c>rnnrunner predict</c>: a trained run's predictions — for texts given on the command line (printed), or for every
/// input of a file (a CSV of predictions, streamed: a large input needs only a batch's memory).
/// </summary>
public static class PredictCommand
{
    /// <summary>The most one --file may hold: far beyond any review (IMDB's longest is 14 KB), far below the memory.</summary>
    public const long MaxFileBytes = 16 << 20;

    public sealed record Request(string? RunFolder, IReadOnlyList<string> Texts, IReadOnlyList<string> Files, string? Input, string? Column, string? Output)
    {
        /// <summary>An exported model (model.onnx or its folder) to run through ONNX Runtime instead of a run folder.</summary>
        public string? Model { get; init; }
    }

    public static int Execute(Request request, TextWriter output, TextWriter errors, Composition parts)
    {
        if (request.Texts.Count + request.Files.Count == 0 && request.Input is null)
        {
            errors.WriteLine("error: give texts with --text or --file, or a file of inputs with --input");
            return ExitCodes.InvalidInput;
        }
        if ((request.RunFolder is null) == (request.Model is null))
        {
            errors.WriteLine(request.Model is null ? "error: give a run folder, or an exported model with --model" : "error: give a run folder or --model, not both");
            return ExitCodes.InvalidInput;
        }
        try
        {
            var inputs = request.Files.Concat(request.Input is { } i ? [i] : []).ToList();
            if (request.Output is { } target && UserOutputFile.ProblemWith(target, inputs) is { } problem)
            {
                errors.WriteLine($"error: {TerminalText.Escape(problem)}");
                return ExitCodes.InvalidInput;
            }
            var texts = request.Texts.Concat(request.Files.Select(ReadFile)).ToList();
            using var engines = request.Model is null ? parts.Engines() : null; // an exported model needs no engine (and no libtorch)
            using var predictor = request.Model is { } model ? ExportedModel.Open(model) : Predictor.Open(RunFolder.Open(request.RunFolder!), engines!);
            if (texts.Count > 0) PrintTexts(predictor, texts, output);
            if (request.Input is { } input)
            {
                var predictions = Inputs(predictor, input, request.Column);
                if (request.Output is not { } path) WriteCsv(predictor, predictions, output);
                else
                {
                    long saved = 0;
                    UserOutputFile.Write(path, stream =>
                    {
                        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
                        saved = WriteCsv(predictor, predictions, writer);
                    });
                    errors.WriteLine($"Predictions: {saved:N0} rows in {TerminalText.Escape(path)}");
                }
            }
            return ExitCodes.Success;
        }
        catch (TooLargeException e)
        {
            errors.WriteLine($"error: {TerminalText.Escape(e.Message)}");
            return ExitCodes.InvalidInput;
        }
        catch (Exception e) when (e is DatasetException or DirectoryNotFoundException or InvalidDataException or SpecException or DamagedFileException
                                      or IOException or UnauthorizedAccessException or ExportException)
        {
            errors.WriteLine($"error: {TerminalText.Escape(e.Message.Split(Environment.NewLine)[0])}");
            return ExitCodes.InvalidInput;
        }
    }

    private static string ReadFile(string file) =>
        new System.Text.UTF8Encoding(false).GetString(BoundedRead.AllBytes(file, MaxFileBytes, "a text file")).TrimStart('\uFEFF');

    /// <summary>A text model's answer for texts given on the command line: the class, the model's probability of that class, the text's start.</summary>
    private static void PrintTexts(Predictor predictor, IReadOnlyList<string> texts, TextWriter output)
    {
        if (predictor.InputKind != "text") throw new DatasetException($"--text and --file take texts; this model takes {predictor.InputKind}: use --input");
        var predictions = predictor.Predict(texts.Select((t, i) => ((i + 1).ToString(CultureInfo.InvariantCulture), t))).ToList();
        for (var i = 0; i < texts.Count; i++)
        {
            var p = predictions[i];
            var probability = p.Outputs.Count == 1 ? p.Outputs[0] >= 0.5f ? p.Outputs[0] : 1 - p.Outputs[0] : p.Outputs.Max();
            var label = TerminalText.Escape(p.Label ?? "");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}\tP({label}) = {probability:F4}\t{TerminalText.Escape(Preview(texts[i]))}"));
        }
    }

    /// <summary>The file's inputs, read as they are needed: text lines, a CSV/TSV/JSON Lines column, or (a series model) the CSV itself.</summary>
    private static IEnumerable<Prediction> Inputs(Predictor predictor, string input, string? column)
    {
        if (!File.Exists(input)) throw new DatasetException($"{input}: no such file");
        if (predictor.InputKind == "series") return predictor.PredictSeries(input);
        if (input.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) || input.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            return predictor.PredictArray(input, column);
        return predictor.Predict(InputFile.Read(input, column, predictor.Data, ids: predictor.InputKind == "ids").Select(line => (line.Place, line.Text)));
    }

    /// <summary>
    /// Writes one CSV row per prediction as it comes: the input's place (file:line), then a classifier's class and its
    /// probability per class, or a regression's value(s). Returns how many rows were written.
    /// </summary>
    private static long WriteCsv(Predictor predictor, IEnumerable<Prediction> predictions, TextWriter writer)
    {
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture, leaveOpen: true);
        var classes = predictor.Classes;
        var headerWritten = false;
        long rows = 0;
        foreach (var p in predictions)
        {
            if (!headerWritten)
            {
                csv.WriteField("input");
                if (classes is not null) { csv.WriteField("label"); foreach (var c in classes) csv.WriteField(CsvCell.Safe($"p_{c}")); }
                else for (var i = 0; i < p.Outputs.Count; i++) csv.WriteField(p.Outputs.Count == 1 ? "value" : $"value_{i}");
                csv.NextRecord();
                headerWritten = true;
            }
            csv.WriteField(CsvCell.Safe(p.Key));
            if (classes is not null)
            {
                csv.WriteField(CsvCell.Safe(p.Label ?? ""));
                var probabilities = p.Outputs.Count == 1 && classes.Count == 2 ? [1 - p.Outputs[0], p.Outputs[0]] : p.Outputs;
                foreach (var q in probabilities) csv.WriteField(q.ToString("0.######", CultureInfo.InvariantCulture));
            }
            else foreach (var v in p.Outputs) csv.WriteField(v.ToString("R", CultureInfo.InvariantCulture));
            csv.NextRecord();
            rows++;
        }
        return rows;
    }

    private static string Preview(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 70 ? flat : flat[..67] + "...";
    }
}
