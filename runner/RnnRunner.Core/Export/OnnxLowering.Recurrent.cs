using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Export;

/// <summary>Recurrent layers as ONNX RNN/LSTM/GRU nodes.</summary>
internal sealed partial class OnnxLowering
{
    /// <summary>
    /// One node for the layer (both directions of a bidirectional one): W, R and B stacked per direction with the
    /// gates in ONNX's order, h0 = 0, sequence_lens when masked; then the last state or every step's, merged.
    /// </summary>
    private string Recurrent(string path, RecurrentLayerSpec spec, string[] directions, MergeMode merge, string x)
    {
        var (op, order) = spec switch
        {
            LstmLayerSpec => ("LSTM", new[] { 0, 3, 1, 2 }), // engines (PyTorch): i, f, g, o; ONNX: i, o, f, c
            GruLayerSpec => ("GRU", new[] { 1, 0, 2 }),      // engines (PyTorch): r, z, n; ONNX: z, r, h
            _ => ("RNN", new[] { 0 }),
        };
        string Stacked(string part) => Stack(path, directions, part, order, spec.Units);
        var attributes = new List<Onnx.AttributeProto>
        {
            OnnxGraph.Int("hidden_size", spec.Units),
            OnnxGraph.Text("direction", directions.Length == 2 ? "bidirectional" : "forward"),
        };
        if (spec is GruLayerSpec) attributes.Add(OnnxGraph.Int("linear_before_reset", 1)); // PyTorch's GRU: r · (U_h·h + b_hn)
        if (spec is SimpleRnnLayerSpec simple)
            attributes.Add(OnnxGraph.Texts("activations", [.. directions.Select(_ => simple.Activation == Activation.Relu ? "Relu" : "Tanh")]));
        var outputs = graph.AddMany(op, [x, Stacked("W"), Stacked("R"), Stacked("B"), _mask?.Lengths32 ?? ""], 2, [.. attributes]);
        return spec.ReturnSequences ? Sequence(outputs[0], directions.Length, merge) : LastState(outputs[1], directions.Length, merge);
    }

    /// <summary>Y [T, D, B, H] → [T, B, H·(concat ? D : 1)].</summary>
    private string Sequence(string y, int directions, MergeMode merge)
    {
        if (directions == 1) return graph.Add("Squeeze", [y, graph.Longs(1)]);
        var halves = graph.AddMany("Split", [y, graph.Longs(1, 1)], 2, OnnxGraph.Int("axis", 1));
        return Merge(graph.Add("Squeeze", [halves[0], graph.Longs(1)]), graph.Add("Squeeze", [halves[1], graph.Longs(1)]), merge);
    }

    /// <summary>Y_h [D, B, H] → [B, H·(concat ? D : 1)]: the forward state after the last real step, the backward one after the first.</summary>
    private string LastState(string yh, int directions, MergeMode merge)
    {
        if (directions == 1) return graph.Add("Squeeze", [yh, graph.Longs(0)]);
        var halves = graph.AddMany("Split", [yh, graph.Longs(1, 1)], 2, OnnxGraph.Int("axis", 0));
        return Merge(graph.Add("Squeeze", [halves[0], graph.Longs(0)]), graph.Add("Squeeze", [halves[1], graph.Longs(0)]), merge);
    }

    private string Merge(string forward, string backward, MergeMode merge) => merge switch
    {
        MergeMode.Concat => graph.Add("Concat", [forward, backward], OnnxGraph.Int("axis", -1)),
        MergeMode.Sum => graph.Add("Add", [forward, backward]),
        MergeMode.Mul => graph.Add("Mul", [forward, backward]),
        _ => graph.Add("Mul", [graph.Add("Add", [forward, backward]), graph.Scalar(0.5f)]),
    };

    /// <summary>
    /// ONNX's W ([D, G·H, F]), R ([D, G·H, H]) or B ([D, 2·G·H]: input biases, then recurrent ones) from each direction's
    /// weight_ih, weight_hh, bias_ih and bias_hh, every gate's block of H rows moved to ONNX's place.
    /// </summary>
    private string Stack(string path, string[] directions, string part, int[] order, int units)
    {
        float[] Blocks(string name)
        {
            var tensor = Weight(name);
            return Reorder(tensor.Values, order, units, tensor.Shape.Length == 2 ? tensor.Shape[1] : 1);
        }
        var pieces = directions.Select(d => part switch
        {
            "W" => Blocks($"{d}.weight_ih"),
            "R" => Blocks($"{d}.weight_hh"),
            _ => [.. Blocks($"{d}.bias_ih"), .. Blocks($"{d}.bias_hh")],
        }).ToList();
        long rows = order.Length * units;
        long[] dims = part == "B" ? [directions.Length, 2 * rows] : [directions.Length, rows, pieces[0].Length / rows];
        return graph.Floats($"{path}.{part}", dims, [.. pieces.SelectMany(p => p)]);
    }

    /// <summary>Rows in blocks of <paramref name="units"/>, block k of the result being block order[k] of <paramref name="values"/>.</summary>
    private static float[] Reorder(float[] values, int[] order, int units, int columns)
    {
        var block = units * columns;
        var result = new float[values.Length];
        for (var k = 0; k < order.Length; k++) Array.Copy(values, order[k] * block, result, k * block, block);
        return result;
    }
}
