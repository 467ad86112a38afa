using System.Text.Json.Nodes;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Running;

namespace RnnRunner.Core.Export;

/// <summary>
/// An export folder as a <see cref="Predictor"/>: model.onnx run by ONNX Runtime (no libtorch, no run folder), texts
/// read through tokenizer.json exactly as in training, classes from config.json. What <c>predict --model</c> runs.
/// </summary>
public static class ExportedModel
{
    /// <summary>Texts per ONNX Runtime call: the export keeps no training batch size, and outputs do not depend on it.</summary>
    private const int BatchSize = 64;

    /// <summary>A predictor for <paramref name="path"/>: an export folder, or the model.onnx inside one.</summary>
    public static Predictor Open(string path)
    {
        if (!Directory.Exists(path) && !File.Exists(path))
            throw new FileNotFoundException($"{path}: no such export folder or model.onnx (make one with rnnrunner export <run>)");
        var folder = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path))!;
        var model = Directory.Exists(path) ? Path.Combine(path, ModelExport.OnnxName) : path;
        if (!File.Exists(model)) throw new FileNotFoundException($"{path}: has no {ModelExport.OnnxName} (export with --format onnx)");
        var configPath = Path.Combine(folder, ModelExport.ConfigName);
        if (!File.Exists(configPath)) throw new InvalidDataException($"{folder}: no {ModelExport.ConfigName} beside the model; predict --model reads an export folder");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        var tokenizer = Path.Combine(folder, TokenizerFile.Name);
        if (!File.Exists(tokenizer))
            throw new DatasetException($"{folder}: predict --model reads texts through {TokenizerFile.Name}, and this model of {(string?)config["input"]?["kind"]} has none; feed {ModelExport.OnnxName} its inputs from your own program (docs/guide/export.md)");
        var encoding = TokenizerFile.Read(tokenizer, out var settings);
        var classes = config["output"]?["classes"]?.AsArray().Select(c => (string)c!).ToList();
        var signature = Signature(config, settings.Maxlen);
        var runner = OnnxRunner.Open(model);
        var inputs = new PredictorInputs(settings, signature, BatchSize, () => throw new DatasetException("an exported text model has no series"));
        return new Predictor(new OnnxPredictionModel(runner), inputs, (text, _) => encoding.EncodeIds(text).Ids, classes);
    }

    /// <summary>What the model takes and answers, from config.json.</summary>
    private static DataSignature Signature(JsonNode config, int? maxlen)
    {
        var output = config["output"]!;
        var width = (int)output["width"]!;
        var target = ((string?)output["activation"], (bool)output["per_step"]!) switch
        {
            ("sigmoid", false) => TargetKind.BinaryPerSequence,
            ("softmax", false) => TargetKind.ClassesPerSequence,
            ("softmax", true) => TargetKind.ClassesPerStep,
            (_, true) => TargetKind.RegressionPerStep,
            _ => TargetKind.RegressionPerSequence,
        };
        return new DataSignature(InputKind.Tokens, (int)config["input"]!["vocabulary_size"]!, maxlen ?? 1, target, target == TargetKind.BinaryPerSequence ? 2 : width)
        {
            VariableLength = maxlen is null,
            ZeroIsPadding = true,
        };
    }

    /// <summary>An ONNX model behind the predictor's batches: the batch's ids in, the model's outputs out.</summary>
    private sealed class OnnxPredictionModel(OnnxRunner runner) : IPredictionModel
    {
        public ReadOnlyMemory<float> Predict(Batch batch)
        {
            var ids = new long[batch.Count * batch.Steps];
            var tokens = batch.TokenIds;
            for (var i = 0; i < ids.Length; i++) ids[i] = tokens[i];
            return runner.Run(ids, batch.Count, batch.Steps);
        }

        public void Dispose() => runner.Dispose();
    }
}
