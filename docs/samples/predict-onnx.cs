#:package Microsoft.ML.OnnxRuntime@1.32.0
#:property ManagePackageVersionsCentrally=false
// Scores texts with an exported RnnRunner text model from your own program: dotnet run predict-onnx.cs -- <export folder> "a text" …
// It reads tokenizer.json as RnnRunner does (Keras' tokenizer, then imdb.load_data's ids), pads, and runs model.onnx.
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

var folder = args[0];
var tokenizer = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer.json")))!;
var (ids, sequence, index) = (tokenizer["ids"]!, tokenizer["sequence"]!, tokenizer["word_index"]!.AsObject());
var filters = (string)tokenizer["tokenizer"]!["filters"]!;
var classes = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!["output"]!["classes"]!.AsArray();
using var session = new InferenceSession(Path.Combine(folder, "model.onnx"));

foreach (var text in args[1..])
{
    var cleaned = new string(text.Replace("<br />", " ").ToLowerInvariant().Select(c => filters.Contains(c) || c == '\r' ? ' ' : c).ToArray());
    var tokens = new List<long>();
    if (ids["start"] is { } start) tokens.Add((long)start);
    foreach (var word in cleaned.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        if (index[word] is { } id) tokens.Add((long)id);
        else if (ids["oov"] is { } oov) tokens.Add((long)oov);
    var maxlen = (int?)sequence["maxlen"] ?? tokens.Count;
    if (tokens.Count > maxlen) tokens = (string)sequence["truncating"]! == "pre" ? tokens[^maxlen..] : tokens[..maxlen];
    var padding = new long[maxlen - tokens.Count];
    long[] input = (string)sequence["padding"]! == "pre" ? [.. padding, .. tokens] : [.. tokens, .. padding];
    using var results = session.Run([NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(input, [1, maxlen]))]);
    var outputs = results[0].AsTensor<float>().ToArray();
    var best = outputs.Length == 1 ? (outputs[0] >= 0.5f ? 1 : 0) : Array.IndexOf(outputs, outputs.Max());
    var probability = outputs.Length == 1 ? (best == 1 ? outputs[0] : 1 - outputs[0]) : outputs[best];
    Console.WriteLine($"{classes[best]}\tP({classes[best]}) = {probability:F4}\t{text}");
}
