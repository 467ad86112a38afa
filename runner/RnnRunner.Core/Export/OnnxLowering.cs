using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;
using DataType = Onnx.TensorProto.Types.DataType;

namespace RnnRunner.Core.Export;

/// <summary>
/// Writes each planned layer as ONNX nodes. A masked model (an embedding with mask_zero) first packs each row's real
/// steps to the front — what the engines' <see cref="SequenceMask"/> does — so every recurrent node reads them with
/// ONNX's sequence_lens, and masked pooling averages or maxes over the same lengths; a per-step output is mapped back
/// to the input's steps after the last recurrent layer (a masked step repeats the last real output, or is zero after a
/// bidirectional layer, as in Keras).
/// </summary>
internal sealed partial class OnnxLowering(OnnxGraph graph, ModelPlan plan, IReadOnlyDictionary<string, NamedTensor> weights)
{
    private Mask? _mask;

    /// <summary>The packed sequences' bookkeeping: lengths (int64 and int32), which packed steps are real ([T, B] bool), and the input's own mask ([B, T]).</summary>
    private sealed record Mask(string Lengths, string Lengths32, string PackedReal, string Real, string RealLongs);

    public string Lower(string input)
    {
        var x = plan.Data.Input == InputKind.Tokens ? Tokens(input) : graph.Add("Transpose", [input], OnnxGraph.Ints("perm", 1, 0, 2));
        var lastRecurrent = plan.Layers.ToList().FindLastIndex(l => l.Spec is RecurrentLayerSpec or BidirectionalLayerSpec);
        for (var i = 0; i < plan.Layers.Count; i++)
        {
            var layer = plan.Layers[i];
            x = layer.Spec switch
            {
                EmbeddingLayerSpec => graph.Add("Gather", [Stored($"{layer.Path}.embeddings"), x]),
                RecurrentLayerSpec r => Recurrent(layer.Path, r, [layer.Path], MergeMode.Concat, x),
                BidirectionalLayerSpec b => Recurrent(layer.Path, b.Layer, [$"{layer.Path}.forward", $"{layer.Path}.backward"], b.MergeMode, x),
                DenseLayerSpec d => Dense(layer, d, x),
                DropoutLayerSpec => x,
                GlobalAveragePoolingLayerSpec => Pool(x, average: true),
                GlobalMaxPoolingLayerSpec => Pool(x, average: false),
                _ => throw new ExportException($"{layer.Path}: a {layer.DisplayName} layer has no ONNX form here"),
            };
            if (i == lastRecurrent && _mask is not null && plan.Output.IsSequence) x = Unpack(x, carry: layer.Spec is RecurrentLayerSpec);
        }
        return plan.Output.IsSequence ? graph.Add("Transpose", [x], OnnxGraph.Ints("perm", 1, 0, 2)) : x;
    }

    /// <summary>Token ids [B, T] → time-major ids [T, B]; a masked model's rows packed first.</summary>
    private string Tokens(string ids)
    {
        if (plan.Layers[0].Spec is not EmbeddingLayerSpec embedding)
            throw new ExportException($"{plan.Layers[0].Path}: a model of token ids starts with an embedding");
        if (embedding.MaskZero) ids = Pack(ids);
        return graph.Add("Transpose", [ids], OnnxGraph.Ints("perm", 1, 0));
    }

    /// <summary>
    /// Each row's real (non-zero) ids moved to the front in order: sort by (is padding)·T + t, which is unique per step,
    /// so TopK's ascending order is exactly "real steps in order, then the padding".
    /// </summary>
    private string Pack(string ids)
    {
        var padding = graph.Add("Equal", [ids, graph.LongScalar(0)]);
        var real = graph.Add("Not", [padding]);
        var realLongs = graph.Add("Cast", [real], OnnxGraph.Int("to", (long)DataType.Int64));
        var lengths = graph.Add("ReduceSum", [realLongs, graph.Longs(1)], OnnxGraph.Int("keepdims", 0));
        var steps = graph.Add("Gather", [graph.Add("Shape", [ids]), graph.LongScalar(1)]);
        var positions = graph.Add("Range", [graph.LongScalar(0), steps, graph.LongScalar(1)]);
        var paddingLongs = graph.Add("Cast", [padding], OnnxGraph.Int("to", (long)DataType.Int64));
        var key = graph.Add("Add", [graph.Add("Mul", [paddingLongs, steps]), positions]);
        var order = graph.AddMany("TopK", [key, graph.Add("Reshape", [steps, graph.Longs(1)])], 2,
            OnnxGraph.Int("axis", 1), OnnxGraph.Int("largest", 0), OnnxGraph.Int("sorted", 1))[1];
        var packedReal = graph.Add("Less", [graph.Add("Unsqueeze", [positions, graph.Longs(1)]), graph.Add("Unsqueeze", [lengths, graph.Longs(0)])]);
        _mask = new Mask(lengths, graph.Add("Cast", [lengths], OnnxGraph.Int("to", (long)DataType.Int32)), packedReal, real, realLongs);
        return graph.Add("GatherElements", [ids, order], OnnxGraph.Int("axis", 1));
    }

    /// <summary>
    /// Packed outputs [T, B, H] back on the input's steps: step t reads the packed step of the last real step at or
    /// before it (cumulative count − 1); masked steps then repeat it (<paramref name="carry"/>) or are zero.
    /// </summary>
    private string Unpack(string x, bool carry)
    {
        var mask = _mask!;
        var last = graph.Add("Sub", [graph.Add("CumSum", [mask.RealLongs, graph.LongScalar(1)]), graph.LongScalar(1)]);
        var keep = carry ? graph.Add("Greater", [last, graph.LongScalar(-1)]) : mask.Real;
        var index = graph.Add("Unsqueeze", [graph.Add("Transpose", [graph.Add("Max", [last, graph.LongScalar(0)])], OnnxGraph.Ints("perm", 1, 0)), graph.Longs(2)]);
        var gathered = graph.Add("GatherElements", [x, graph.Add("Expand", [index, graph.Add("Shape", [x])])], OnnxGraph.Int("axis", 0));
        var kept = graph.Add("Cast", [graph.Add("Unsqueeze", [graph.Add("Transpose", [keep], OnnxGraph.Ints("perm", 1, 0)), graph.Longs(2)])], OnnxGraph.Int("to", (long)DataType.Float));
        return graph.Add("Mul", [gathered, kept]);
    }

    private NamedTensor Weight(string name) =>
        weights.TryGetValue(name, out var tensor) ? tensor : throw new ExportException($"the weights have no tensor '{name}'");

    /// <summary>A weight stored in the file as it is, under its engine-neutral name.</summary>
    private string Stored(string name)
    {
        var tensor = Weight(name);
        return graph.Floats(name, tensor.Shape.Select(d => (long)d).ToArray(), tensor.Values);
    }

    private string Dense(PlannedLayer layer, DenseLayerSpec spec, string x)
    {
        var kernel = Weight($"{layer.Path}.weight");
        var bias = Stored($"{layer.Path}.bias");
        string z;
        if (!layer.Input.IsSequence)
            z = graph.Add("Gemm", [x, Stored($"{layer.Path}.weight"), bias], OnnxGraph.Int("transB", 1));
        else
        {
            // Every step at once: [T, B, F] · [F, U] + bias.
            var transposed = graph.Floats($"{layer.Path}.weight.T", [kernel.Shape[1], kernel.Shape[0]], Transpose(kernel.Values, kernel.Shape[0], kernel.Shape[1]));
            z = graph.Add("Add", [graph.Add("MatMul", [x, transposed]), bias]);
        }
        return spec.Activation switch
        {
            Activation.Linear => z,
            Activation.Relu => graph.Add("Relu", [z]),
            Activation.Tanh => graph.Add("Tanh", [z]),
            Activation.Sigmoid => graph.Add("Sigmoid", [z]),
            Activation.Softmax => graph.Add("Softmax", [z], OnnxGraph.Int("axis", -1)),
            var other => throw new ExportException($"{layer.Path}.activation: {SpecNames.Of(other)} has no ONNX form here"),
        };
    }

    /// <summary>Over time ([T, B, F] → [B, F]); a masked model's over each row's real (packed) steps only, zeros for a row with none.</summary>
    private string Pool(string x, bool average)
    {
        if (_mask is not { } mask)
            return graph.Add(average ? "ReduceMean" : "ReduceMax", [x], OnnxGraph.Ints("axes", 0), OnnxGraph.Int("keepdims", 0));
        var real = graph.Add("Unsqueeze", [mask.PackedReal, graph.Longs(2)]);
        if (!average)
        {
            // A row with no real step pools to zeros, as in the engines (not −∞).
            var max = graph.Add("ReduceMax", [graph.Add("Where", [real, x, graph.Scalar(float.NegativeInfinity)])], OnnxGraph.Ints("axes", 0), OnnxGraph.Int("keepdims", 0));
            var any = graph.Add("Unsqueeze", [graph.Add("Greater", [mask.Lengths, graph.LongScalar(0)]), graph.Longs(1)]);
            return graph.Add("Where", [any, max, graph.Scalar(0)]);
        }
        var sum = graph.Add("ReduceSum", [graph.Add("Mul", [x, graph.Add("Cast", [real], OnnxGraph.Int("to", (long)DataType.Float))]), graph.Longs(0)], OnnxGraph.Int("keepdims", 0));
        var count = graph.Add("Max", [graph.Add("Cast", [mask.Lengths], OnnxGraph.Int("to", (long)DataType.Float)), graph.Scalar(1)]);
        return graph.Add("Div", [sum, graph.Add("Unsqueeze", [count, graph.Longs(1)])]);
    }

    private static float[] Transpose(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
                result[c * rows + r] = values[r * columns + c];
        return result;
    }
}
