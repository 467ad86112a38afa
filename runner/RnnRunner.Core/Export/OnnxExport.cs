using Onnx;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;
using DataType = Onnx.TensorProto.Types.DataType;

namespace RnnRunner.Core.Export;

/// <summary>A model that cannot be written in the asked format, with the one line saying which part and why.</summary>
public sealed class ExportException(string message) : Exception(message);

/// <summary>
/// A trained model as a standard ONNX graph (opset 17) that computes what the engines compute in evaluation: Gather
/// for the embedding, one ONNX RNN/LSTM/GRU node per recurrent layer, Gemm/MatMul for dense layers, dropout gone, the
/// output activation included. Inside, sequences are time-major ([steps, batch, features]) as ONNX's recurrent
/// operators want them. docs/guide/export.md has the name mapping.
/// </summary>
public static class OnnxExport
{
    public const int Opset = 17;
    public const string TokensInput = "input_ids";
    public const string FeaturesInput = "inputs";
    public const string Output = "outputs";

    public static ModelProto Build(ModelPlan plan, IReadOnlyList<NamedTensor> weights, string name, string description)
    {
        var graph = new OnnxGraph();
        graph.Proto.Name = name;
        graph.Proto.DocString = description;
        var lowering = new OnnxLowering(graph, plan, weights.ToDictionary(w => w.Name));
        var input = Input(graph, plan);
        graph.Identity(lowering.Lower(input), Output);
        graph.Proto.Output.Add(OutputValue(plan));
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "RnnRunner",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            DocString = description,
            Graph = graph.Proto,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    private static string Input(OnnxGraph graph, ModelPlan plan)
    {
        if (plan.Data.Input == InputKind.Tokens)
        {
            graph.Proto.Input.Add(OnnxGraph.Value(TokensInput, DataType.Int64,
                "Token ids (batch, steps), encoded and padded as tokenizer.json says; 0 is padding.", "batch", "steps"));
            return TokensInput;
        }
        graph.Proto.Input.Add(OnnxGraph.Value(FeaturesInput, DataType.Float,
            "Feature sequences (batch, steps, features), normalised as the run's training data was.", "batch", "steps", plan.Data.InputWidth));
        return FeaturesInput;
    }

    private static ValueInfoProto OutputValue(ModelPlan plan)
    {
        var width = plan.Output.Features;
        var what = plan.OutputActivation switch
        {
            Activation.Sigmoid => "probabilities of the positive class (sigmoid)",
            Activation.Softmax => "class probabilities (softmax)",
            _ => $"the model's outputs ({SpecNames.Of(plan.OutputActivation)})",
        };
        return plan.Output.IsSequence
            ? OnnxGraph.Value(Output, DataType.Float, $"(batch, steps, {width}): {what} at every step.", "batch", "steps", width)
            : OnnxGraph.Value(Output, DataType.Float, $"(batch, {width}): {what}.", "batch", width);
    }
}
