using System.Globalization;
using System.Text;
using RnnRunner.Core.Data;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Export;

/// <summary>
/// MODEL_CARD.md, generated from the run (after Mitchell et al., "Model Cards for Model Reporting"): what the model
/// reads and answers, its data and preprocessing, architecture and parameters, training, test metrics with their
/// uncertainty, where and with what it was trained, and the limits a user should know before relying on it.
/// </summary>
public static class ModelCard
{
    public const string Name = "MODEL_CARD.md";

    /// <param name="checkedAs">How model.onnx compared with the run's engine at export, or why it was not compared.</param>
    public static string Write(TrainedModel model, IReadOnlyCollection<ExportFormat> formats, string? checkedAs = null)
    {
        var spec = model.Spec.Spec;
        var card = new StringBuilder();
        card.AppendLine($"# {spec.Name}");
        card.AppendLine();
        if (spec.Description is { Length: > 0 } description) card.AppendLine(description.Trim()).AppendLine();
        card.AppendLine($"Exported by RnnRunner from run `{model.Run.Id}` ({model.Run.Path}).");
        card.AppendLine();
        Files(card, model, formats, checkedAs);
        Data(card, model);
        Architecture(card, model);
        Training(card, model);
        Metrics(card, model);
        Limits(card, model);
        return card.ToString();
    }

    private static void Files(StringBuilder card, TrainedModel model, IReadOnlyCollection<ExportFormat> formats, string? checkedAs)
    {
        card.AppendLine("## Files").AppendLine();
        if (formats.Contains(ExportFormat.Onnx))
            card.AppendLine($"- `{ModelExport.OnnxName}`: ONNX (opset {OnnxExport.Opset}); input {Input(model)}, output `{OnnxExport.Output}`. Runs in ONNX Runtime, or `rnnrunner predict --model`."
                + (checkedAs is null ? "" : $" At export, {checkedAs}."));
        if (formats.Contains(ExportFormat.Safetensors))
            card.AppendLine($"- `{PyTorchExport.WeightsName}` and `{PyTorchExport.ModuleName}`: the weights for PyTorch, JAX or Keras 3, and a plain PyTorch module that loads them (`python {PyTorchExport.ModuleName} --check`).");
        card.AppendLine($"- `{ModelExport.ConfigName}`: inputs, outputs{(model.Classes is null ? "" : ", class names")}{(model.Series is null ? "" : ", the series' normalisation")}.");
        if (model.Encoding is not null) card.AppendLine($"- `{TokenizerFile.Name}`: how a text becomes ids (Keras' tokenizer settings, the vocabulary, padding and truncation).");
        card.AppendLine();
    }

    private static string Input(TrainedModel model) => model.Spec.Plan.Data.Input == InputKind.Tokens
        ? $"`{OnnxExport.TokensInput}` (int64, batch × steps)"
        : $"`{OnnxExport.FeaturesInput}` (float, batch × steps × {model.Spec.Plan.Data.InputWidth})";

    private static void Data(StringBuilder card, TrainedModel model)
    {
        var data = model.Spec.Spec.Data;
        card.AppendLine("## Data and preprocessing").AppendLine();
        card.AppendLine($"- Dataset: `{SpecNames.OfVariant(data)}`{Source(data)}.");
        if (model.Classes is { } classes) card.AppendLine($"- Classes: {string.Join(", ", classes.Select(c => $"`{c}`"))}.");
        if (data is TextDataSpec text)
        {
            card.AppendLine(Invariant($"- Text: Keras' tokenizer (lower-cased, punctuation removed), the {TextEncodingWords(text):N0} most frequent training words kept (num_words {text.NumWords:N0}); other words become id {text.OovChar?.ToString(CultureInfo.InvariantCulture) ?? "(dropped)"}."));
            card.AppendLine(text.Maxlen is { } maxlen
                ? $"- Length: cut to {maxlen} ids ({SpecNames.Of(text.Truncating)}: {(text.Truncating == SequenceSide.Pre ? "the ending is kept" : "the beginning is kept")}), padded with 0 ({SpecNames.Of(text.Padding)})."
                : "- Length: whole texts (no maxlen).");
            if (TypicalLength(model) is { } typical) card.AppendLine($"- Training texts: {typical}.");
        }
        if (model.Series is { } series)
            card.AppendLine($"- Series: inputs {string.Join(", ", series.Columns.Select(c => $"`{c}`"))}{(series.Normalized ? " normalised with the training part's mean and std (config.json)" : "")}; target `{series.Target}`.");
        card.AppendLine();
    }

    private static int TextEncodingWords(TextDataSpec text) => RnnRunner.Core.Data.Text.TextEncoding.KeptWords(text);

    private static string Source(DataSpec data) => data switch
    {
        ImdbDataSpec => " (Stanford Large Movie Review Dataset: 50,000 English movie reviews from IMDB, Maas et al. 2011)",
        _ => "",
    };

    /// <summary>The training split's text lengths from preprocessing.json, when the run kept them.</summary>
    private static string? TypicalLength(TrainedModel model)
    {
        if (!File.Exists(model.Run.Preprocessing)) return null;
        var root = System.Text.Json.Nodes.JsonNode.Parse(model.Run.ReadDataFile(model.Run.Preprocessing));
        var lengths = root?["splits"]?["train"]?["length_percentiles"];
        return lengths is null ? null
            : Invariant($"median {(int)lengths["p50"]!} words, 90 % under {(int)lengths["p90"]!}, longest {(int)lengths["max"]!:N0}");
    }

    private static void Architecture(StringBuilder card, TrainedModel model)
    {
        card.AppendLine("## Architecture").AppendLine();
        card.AppendLine("```");
        card.AppendLine(model.Spec.Plan.Summary(model.Spec.Spec.Name).TrimEnd());
        card.AppendLine("```").AppendLine();
    }

    private static void Training(StringBuilder card, TrainedModel model)
    {
        var training = model.Spec.Spec.Training;
        var summary = model.Summary;
        card.AppendLine("## Training").AppendLine();
        card.AppendLine(Invariant($"- {SpecNames.OfVariant(training.Optimizer)}, learning rate {training.Optimizer.LearningRate:G4}, batch {training.BatchSize}, loss {SpecNames.Of(training.Loss)}, seed {model.Spec.Spec.Seed}."));
        if (summary is not null)
        {
            card.AppendLine(Invariant($"- {summary.EpochsRun} epochs{(summary.BestEpoch is { } best ? $", best epoch {best} by {summary.Monitor}" : "")}{(summary.RestoredBestWeights ? " (its weights kept)" : "")}."));
            card.AppendLine($"- Engine: {summary.Engine}{(summary.RecurrentKernels is { } kernels ? $", recurrent kernels {kernels}" : "")}; CPU: {summary.Cpu ?? "not recorded"}.");
            card.AppendLine($"- Versions: {string.Join(", ", summary.Versions.Select(v => $"{v.Key} {v.Value}"))}.");
        }
        card.AppendLine();
    }

    private static void Metrics(StringBuilder card, TrainedModel model)
    {
        card.AppendLine("## Test metrics").AppendLine();
        if (model.Summary?.TestMetrics is not { Count: > 0 } metrics)
        {
            card.AppendLine("The run has no test metrics.").AppendLine();
            return;
        }
        var examples = TestExamples(model);
        foreach (var (name, value) in metrics)
            card.AppendLine(Invariant($"- {name}: {value:F4}") + (name.EndsWith("accuracy", StringComparison.Ordinal) && examples > 0 ? Interval(value, examples) : ""));
        card.AppendLine();
        card.AppendLine(examples > 0
            ? Invariant($"On the run's test split ({examples:N0} examples), never seen in training or model selection. One seed: the spread across seeds is not measured here (a grid over `seed` measures it).")
            : "On the run's test split. One seed: the spread across seeds is not measured here.");
        card.AppendLine();
    }

    /// <summary>Wilson's 95 % interval for an accuracy over <paramref name="n"/> test examples: the test split's own sampling uncertainty.</summary>
    private static string Interval(double accuracy, int n)
    {
        const double Z = 1.959964;
        var centre = (accuracy + Z * Z / (2 * n)) / (1 + Z * Z / n);
        var half = Z / (1 + Z * Z / n) * Math.Sqrt(accuracy * (1 - accuracy) / n + Z * Z / (4.0 * n * n));
        return Invariant($" (95 % interval {centre - half:F4}–{centre + half:F4}, Wilson, over the test examples)");
    }

    private static int TestExamples(TrainedModel model) =>
        File.Exists(model.Run.Predictions) ? Math.Max(0, File.ReadLines(model.Run.Predictions).Count() - 1) : 0;

    private static void Limits(StringBuilder card, TrainedModel model)
    {
        var data = model.Spec.Spec.Data;
        card.AppendLine("## Intended use and limitations").AppendLine();
        card.AppendLine(data switch
        {
            ImdbDataSpec => "- For the sentiment (positive or negative) of English movie reviews like IMDB's. Other domains, languages or styles (tweets, product reviews, sarcasm) are outside what it was trained and tested on.",
            TextDataSpec => "- For texts like the training texts: same language, domain and style. Anything else is outside what it was tested on.",
            TimeseriesDataSpec => "- For the same series, measured the same way, after the training period; its test part is the series' end, so drift beyond it is untested.",
            _ => "- For inputs drawn like the training data; anything else is outside what it was tested on.",
        });
        if (data is TextDataSpec { Maxlen: { } maxlen } text)
            card.AppendLine($"- It reads at most {maxlen} ids: a longer text is cut ({(text.Truncating == SequenceSide.Pre ? "its beginning is lost" : "its ending is lost")}). Words outside the {TextEncodingWords(text):N0}-word vocabulary all look alike to it.");
        if (model.Spec.Plan.Output.IsSequence is false && model.Classes is not null)
            card.AppendLine("- Its probabilities come from training on the data's class balance; they are not calibrated for other base rates.");
        card.AppendLine("- Trained once with one seed; retraining with another seed can move test metrics by about the interval's width.");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
