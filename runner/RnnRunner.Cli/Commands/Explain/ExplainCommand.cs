using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using RnnRunner.Cli.Commands.Trace;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Inspection;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Reports;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Storage;

namespace RnnRunner.Cli.Commands.Explain;

/// <summary>
/// <c>rnnrunner explain</c>: why a trained model said what it said about one sequence — a page (and the same numbers as
/// JSON) in the run's explanations/ folder, and a short summary in the terminal.
/// </summary>
public static class ExplainCommand
{
    public const string Folder = "explanations";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    public sealed record Request(string RunFolder, string? Text, int Example, bool Json, EngineKind? Engine = null)
    {
        /// <summary>A file holding one's own text (--file), read whole: the same as giving it with --text.</summary>
        public string? File { get; init; }

        /// <summary>A file of texts (--input), one page each: lines of a .txt, or a CSV/TSV/JSON Lines column as predict reads.</summary>
        public string? Input { get; init; }

        /// <summary>The --input table's column (default: the training table's text column, else "text").</summary>
        public string? Column { get; init; }
    }

    public static int Execute(Request request, Composition parts, TextWriter output, TextWriter errors)
    {
        try
        {
            if (!Directory.Exists(request.RunFolder))
                throw new DirectoryNotFoundException($"{request.RunFolder}: no such run folder (explain looks inside a trained model; trace shows an untrained spec)");
            var run = RunFolder.Open(request.RunFolder);
            if (!File.Exists(run.Weights)) throw new InvalidDataException($"{run.Path}: no weights.bin here; is this a completed run folder?");
            var weights = WeightsFile.Load(run.Weights);
            var loaded = TrainedSpec.Load(run);
            var classes = TrainedClasses.Of(run, loaded.Plan.Data)?.Names;
            if (loaded.Plan.Output.IsSequence)
                throw new DatasetException("explain explains one answer per sequence; this model answers at every step (trace shows each step's output)");
            var examples = Examples(request, loaded, run, classes);
            using var engines = parts.Engines();
            using var inspector = TraceInput.Inspector(engines, request.Engine, loaded, weights);
            var explained = new List<object>();
            foreach (var example in examples)
            {
                var explanation = Explanation.Of(inspector, example, classes);
                var page = Save(run, explanation, ExplainPage.Render(explanation, loaded.Spec.Name, "Trained weights"));
                if (request.Json)
                    explained.Add(new { page, numbers = Path.ChangeExtension(page, ".json"), explanation.Origin, explanation.Explained, explanation.Answer, explanation.Final, explanation.Label });
                else Summary(explanation, loaded.Spec.Name, page, output);
            }
            if (request.Json) JsonOutput.Write(output, request.Input is null ? explained[0] : new { explanations = explained });
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or DirectoryNotFoundException or DatasetException or DamagedFileException)
        {
            errors.WriteLine($"error: {TerminalText.Escape(e.Message.Split(Environment.NewLine)[0])}");
            return ExitCodes.InvalidInput;
        }
    }

    /// <summary>
    /// What to explain: each text of --input (read as the pages are written), else --text or --file's text, else the
    /// training example asked for. Refuses a wrong request before anything is loaded.
    /// </summary>
    private static IEnumerable<TraceExample> Examples(Request request, LoadedSpec loaded, RunFolder run, IReadOnlyList<string>? classes)
    {
        if (request.Input is not { } input) return [TraceInput.Example(loaded, run, OwnText(request), request.Example, classes)];
        if (request.Text is not null || request.File is not null) throw new ArgumentException("give --input, or --text or --file, not both");
        if (loaded.Spec.Data is not TextDataSpec)
            throw new DatasetException($"--input takes texts; this model reads {SpecNames.OfVariant(loaded.Spec.Data)} data: explain a training example with --example");
        return InputFile.Read(input, request.Column, loaded.Spec.Data, ids: false)
            .Select(line => TraceInput.Example(loaded, run, line.Text, 0, classes, origin: line.Place));
    }

    /// <summary>The text to explain: --text, or --file's contents (never both); null for a training example.</summary>
    private static string? OwnText(Request request)
    {
        if (request.File is not { } file) return request.Text;
        if (request.Text is not null) throw new ArgumentException("give --text or --file, not both");
        if (!System.IO.File.Exists(file)) throw new ArgumentException($"--file {file}: no such file");
        return System.IO.File.ReadAllText(file);
    }

    /// <summary>explanations/NNN.html and NNN.json (the next free number); returns the page's path.</summary>
    private static string Save(RunFolder run, Explanation explanation, string html)
    {
        var page = NumberedFile.Claim(run.File(Folder), ".html");
        AtomicFile.WriteAllText(Path.ChangeExtension(page, ".json"), JsonSerializer.Serialize(explanation, Json) + "\n");
        AtomicFile.WriteAllText(page, html);
        return page;
    }

    /// <summary>The answer and the words that moved it most, each way (by integrated gradients, else by occlusion).</summary>
    private static void Summary(Explanation e, string name, string page, TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {e.Origin} → {e.Answer} ({e.Explained} = {e.Final:F4})")
            + (e.Label is { } label ? $"; true label {label}" : "") + $"; {e.Engine} engine");
        static double Part(ExplainedWord w) => w.Gradient ?? w.Occlusion;
        const double Shown = 0.00005; // a part that prints as ±0.0000 moved nothing worth naming
        string Words(IEnumerable<ExplainedWord> words) =>
            words.Any() ? string.Join(", ", words.Select(w => string.Create(CultureInfo.InvariantCulture, $"{TerminalText.Escape(w.Word)} {TraceWriter.Number(Part(w))}"))) : "none";
        output.WriteLine($"  raised it most:  {Words(e.Words.Where(w => Part(w) >= Shown).OrderByDescending(Part).Take(5))}");
        output.WriteLine($"  lowered it most: {Words(e.Words.Where(w => Part(w) <= -Shown).OrderBy(Part).Take(5))}");
        output.WriteLine(e.Gradients is { } c
            ? string.Create(CultureInfo.InvariantCulture, $"  (integrated gradients: they add up to {TraceWriter.Number(c.Sum)} of f(text) − f(padding) = {TraceWriter.Number(c.Difference)}, complete to {c.Gap * 100:0.00} %, {c.Points} path points)")
            : $"  (by occlusion: the change when each {e.Item} is left out)");
        output.WriteLine($"Explanation: {page}");
    }
}
