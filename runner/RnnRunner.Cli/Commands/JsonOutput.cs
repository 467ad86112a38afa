using System.Text.Json;
using System.Text.Json.Serialization;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;

namespace RnnRunner.Cli.Commands;

/// <summary>The --json forms of command output: one JSON document on stdout, snake_case, for scripts.</summary>
public static class JsonOutput
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerOptions.Default)
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Write(TextWriter output, object value) => output.WriteLine(JsonSerializer.Serialize(value, Options));

    public sealed record ErrorJson(string Source, int Line, int Column, string Path, string Message)
    {
        public static ErrorJson From(SpecError e) => new(e.Mark.Source, e.Mark.Line, e.Mark.Column, e.Path, e.Message);
    }

    public sealed record LayerJson(string Name, string Type, string OutputShape, long Parameters, long ParametersKeras);

    public sealed record ModelJson(string Name, IReadOnlyList<LayerJson> Layers, long Parameters, long ParametersKeras)
    {
        public static ModelJson From(string name, ModelPlan plan) => new(name,
            plan.Layers.Select((l, i) => new LayerJson($"{l.DisplayName}_{i}", l.DisplayName, l.Output.ToString(), l.TorchParameters, l.KerasParameters)).ToList(),
            plan.TorchParameters, plan.KerasParameters);
    }
}
