using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Export;

/// <summary>What <c>rnnrunner export</c> writes the model as.</summary>
public enum ExportFormat { Onnx, Safetensors }

/// <summary>An export: its folder, and how model.onnx compared with the run's engine (or why it was not compared).</summary>
public sealed record ExportResult(string Folder, OnnxCheck? Check, string? NotChecked);

/// <summary>
/// A trained run as a folder another tool can use: the model (model.onnx, or model.safetensors with model.py),
/// config.json (inputs, outputs, class names, a series' normalisation), tokenizer.json for a text model, and
/// MODEL_CARD.md. The folder is written beside its target and moved into place whole, so it is never half-written;
/// a previous export there is replaced only once the new one is complete.
/// </summary>
public static class ModelExport
{
    public const string ConfigName = "config.json";
    public const string OnnxName = "model.onnx";
    public const string Format = "rnnrunner-export/1";

    // Relaxed escaping keeps filters, quotes and words readable in the files (they are data files, not HTML).
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Exports <paramref name="run"/> to <paramref name="target"/>, else the run's export/ folder; an ONNX graph is
    /// first checked against the run's engine (<see cref="OnnxExportCheck"/>).
    /// </summary>
    public static ExportResult Write(RunFolder run, IReadOnlyCollection<ExportFormat> formats, string? target, EngineCatalog engines)
    {
        var model = TrainedModel.Load(run);
        var folder = Path.GetFullPath(target ?? run.File("export"));
        if (Directory.Exists(folder) && !IsReplaceable(folder))
            throw new IOException($"{folder} holds other files: export replaces only an earlier export (or an empty folder); choose a new folder with -o");
        var staging = Path.Combine(Path.GetDirectoryName(folder)!, $".{Path.GetFileName(folder)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            OnnxCheck? check = null;
            string? notChecked = null;
            if (formats.Contains(ExportFormat.Onnx))
            {
                var onnx = Onnx(model).ToByteArray();
                check = OnnxExportCheck.Run(model, onnx, engines, out notChecked);
                File.WriteAllBytes(Path.Combine(staging, OnnxName), onnx);
            }
            if (formats.Contains(ExportFormat.Safetensors)) PyTorchExport.Write(model, staging);
            File.WriteAllText(Path.Combine(staging, ConfigName), Config(model).ToJsonString(Indented) + "\n");
            if (model.Encoding is { } encoding)
                File.WriteAllText(Path.Combine(staging, TokenizerFile.Name), TokenizerFile.Of(encoding.Settings, encoding.Vocabulary).ToJsonString(Indented) + "\n");
            File.WriteAllText(Path.Combine(staging, ModelCard.Name), ModelCard.Write(model, formats, check?.Describe() ?? notChecked));
            Replace(folder, staging);
            return new ExportResult(folder, check, notChecked);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    public static Onnx.ModelProto Onnx(TrainedModel model) =>
        OnnxExport.Build(model.Spec.Plan, model.Weights, model.Spec.Spec.Name, $"{model.Spec.Spec.Name}: trained by RnnRunner, run {model.Run.Id}");

    /// <summary>An empty folder, or an earlier export (its config.json says so): never a folder of the user's own files.</summary>
    private static bool IsReplaceable(string folder)
    {
        if (!Directory.EnumerateFileSystemEntries(folder).Any()) return true;
        var config = Path.Combine(folder, ConfigName);
        try
        {
            return File.Exists(config) && (string?)JsonNode.Parse(File.ReadAllText(config))?["format"] == Format
                && Directory.EnumerateDirectories(folder).Any() is false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The new folder in place of the old: the old one moved aside first, removed once the new one is there.</summary>
    private static void Replace(string folder, string staging)
    {
        if (!Directory.Exists(folder))
        {
            if (File.Exists(folder)) throw new IOException($"{folder} is a file; export writes a folder");
            Directory.Move(staging, folder);
            return;
        }
        var old = $"{staging}.old";
        Directory.Move(folder, old);
        Directory.Move(staging, folder);
        Directory.Delete(old, recursive: true);
    }

    /// <summary>config.json: what goes in and comes out, the class names, a series' normalisation, where the model came from.</summary>
    private static JsonObject Config(TrainedModel model)
    {
        var plan = model.Spec.Plan;
        var tokens = plan.Data.Input == InputKind.Tokens;
        var config = new JsonObject
        {
            ["format"] = Format,
            ["name"] = model.Spec.Spec.Name,
            ["run"] = model.Run.Path,
            ["input"] = new JsonObject
            {
                ["name"] = tokens ? OnnxExport.TokensInput : OnnxExport.FeaturesInput,
                ["kind"] = tokens ? "token_ids" : "features",
                ["steps"] = (model.Spec.Spec.Data as TextDataSpec)?.Maxlen ?? (plan.Data.VariableLength ? null : plan.Data.Steps),
                ["features"] = tokens ? null : plan.Data.InputWidth,
                ["vocabulary_size"] = tokens ? plan.Data.InputWidth : null,
                ["masked"] = plan.Layers.Any(l => l.Output.Masked),
            },
            ["output"] = new JsonObject
            {
                ["name"] = OnnxExport.Output,
                ["per_step"] = plan.Output.IsSequence,
                ["width"] = plan.Output.Features,
                ["activation"] = SpecNames.Of(plan.OutputActivation),
                ["classes"] = model.Classes is { } classes ? new JsonArray([.. classes.Select(c => (JsonNode)c)]) : null,
            },
        };
        if (model.Series is { } series)
            config["normalisation"] = new JsonObject
            {
                ["columns"] = new JsonArray([.. series.Columns.Select(c => (JsonNode)c)]),
                ["normalized"] = series.Normalized,
                ["mean"] = new JsonArray([.. series.Columns.Select(c => (JsonNode)series.Statistics[c].Mean)]),
                ["std"] = new JsonArray([.. series.Columns.Select(c => (JsonNode)series.Statistics[c].Std)]),
                ["target"] = series.Target,
                ["note"] = "each input column, in this order, as (value - mean) / std when normalized; the model predicts the target column's raw value",
            };
        return config;
    }
}
