using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Inspection;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Cells;
using RnnRunner.Engines.Scratch.Layers;
using RnnRunner.Engines.Scratch.Network;

namespace RnnRunner.Engines.Scratch.Tracing;

/// <summary>
/// Walks one example through the model on the scratch engine, in inference mode, and records every
/// intermediate value — the numpy exercise of computing an RNN by hand, for any spec.
/// </summary>
public static class ModelTracer
{
    /// <param name="weights">Trained weights (from a run folder), or null for the spec's seeded initialisation.</param>
    public static ModelTrace Trace(LoadedSpec loaded, IReadOnlyList<NamedTensor>? weights, TraceExample example)
    {
        var steps = example.Steps;
        var signature = loaded.Plan.Data with { Steps = steps };
        var targets = signature.TargetsPerExample;
        var one = new SequenceDataset(signature, 1, example.Tokens, example.Features,
            signature.IsClassification ? new int[targets] : null, signature.IsClassification ? null : new float[targets]);
        var batch = new Batch(signature, 1);
        one.FillBatch([0], batch);
        var network = Network(loaded, weights, signature);
        var workspace = network.CreateWorkspace();
        workspace.Forward(batch, 0, 1, training: false, seed: 0, step: 0);
        workspace.ComputeLoss(batch, 1); // applies the output activation

        var layers = new List<TracedLayer>();
        var offset = network.Embedding is null ? 0 : 1;
        for (var i = 0; i < network.Layers.Count; i++)
        {
            if (network.Layers[i] is not RecurrentLayer<float> recurrent) continue;
            var planned = loaded.Plan.Layers[i + offset];
            var state = (RecurrentLayer<float>.Workspace)workspace.Layers[i];
            for (var d = 0; d < recurrent.Directions.Count; d++)
            {
                var direction = recurrent.Directions[d];
                var memory = state.Memories[d];
                var input = state.Input;
                var order = Enumerable.Range(0, steps).Select(s => direction.Reverse ? steps - 1 - s : s);
                var traced = order.Select(t => MemoryStep(state.Mask, direction.Reverse, t) is not { } at
                    ? TracedStep.SkippedAt(t)
                    : new TracedStep(t,
                        input.Step(t).ToArray(),
                        direction.Cell.GateNames.Select((name, k) => (name, (IReadOnlyList<float>)memory.Gate(k, at).ToArray())).ToList(),
                        memory is LstmCell<float>.Memory lstm ? lstm.C(at).ToArray() : null,
                        memory.H(at).ToArray())).ToList();
                layers.Add(new TracedLayer(planned.Path, planned.DisplayName,
                    recurrent.Directions.Count > 1 ? (direction.Reverse ? "backward" : "forward") : null, traced));
            }
        }
        var output = workspace.Outputs.ToArray();
        return new ModelTrace(example, layers, output, network.OutputActivation, example.Tokens is null ? null : AfterEachStep(loaded, weights, example));
    }

    /// <summary>The scratch network of <paramref name="loaded"/>'s model for sequences of the signature's length, with its weights.</summary>
    private static ScratchNetwork<float> Network(LoadedSpec loaded, IReadOnlyList<NamedTensor>? weights, DataSignature signature)
    {
        var plan = loaded.Plan with
        {
            Data = signature,
            Layers = loaded.Plan.Layers.Select(l => l with
            {
                Input = l.Input.IsSequence ? l.Input with { Steps = signature.Steps } : l.Input,
                Output = l.Output.IsSequence ? l.Output with { Steps = signature.Steps } : l.Output,
            }).ToList(),
        };
        var network = new ScratchNetwork<float>(plan, loaded.Spec.Training.Loss);
        network.Initialise(loaded.Spec.Seed);
        if (weights is not null) network.SetWeights(weights);
        return network;
    }

    /// <summary>
    /// The output on every prefix of the real tokens: the prefix ending at each real step, padded back to the example's
    /// length on the data's side where the example was padded (as the model would receive so short a text), or fed as
    /// it is where it was not.
    /// </summary>
    private static IReadOnlyList<IReadOnlyList<float>?> AfterEachStep(LoadedSpec loaded, IReadOnlyList<NamedTensor>? weights, TraceExample example)
    {
        var real = example.RealSteps;
        var ids = real.Select(t => example.Tokens![t]).ToArray();
        var outputs = Outputs(loaded, weights, example, Enumerable.Range(1, ids.Length).Select(k => ids[..k]).ToList());
        var byStep = new IReadOnlyList<float>?[example.Steps];
        for (var k = 0; k < real.Count; k++) byStep[real[k]] = outputs[k];
        return byStep;
    }

    /// <summary>
    /// Occlusion: the output with each real token left out in turn (the rest closing up, padded as the example was) —
    /// a word's part in the prediction that needs no gradients. Aligned with the steps; null at padding.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<float>?> WithEachStepLeftOut(LoadedSpec loaded, IReadOnlyList<NamedTensor>? weights, TraceExample example)
    {
        var real = example.RealSteps;
        var tokens = example.Tokens ?? throw new ArgumentException("occlusion leaves out tokens: it needs a sequence of them");
        var ids = real.Select(t => tokens[t]).ToArray();
        var outputs = Outputs(loaded, weights, example, Enumerable.Range(0, ids.Length).Select(k => ids.Where((_, j) => j != k).ToArray()).ToList());
        var byStep = new IReadOnlyList<float>?[example.Steps];
        for (var k = 0; k < real.Count; k++) byStep[real[k]] = outputs[k];
        return byStep;
    }

    /// <summary>
    /// The model's output for each of <paramref name="rows"/> (token sequences shorter than the example), padded to the
    /// example's length on its side where the example was padded — in batches of 64, so a 500-step review costs a pass
    /// per 64 rows — or fed unpadded, one at a time, where it was not (a batch would pad the shorter rows with an id
    /// that may be a word).
    /// </summary>
    private static List<IReadOnlyList<float>> Outputs(LoadedSpec loaded, IReadOnlyList<NamedTensor>? weights, TraceExample example, List<int[]> rows)
    {
        var padded = example.Padding.Any(p => p);
        var signature = loaded.Plan.Data with { Steps = example.Steps };
        var targets = rows.Count * signature.TargetsPerExample;
        var data = SequenceDataset.FromRows(signature, rows, signature.IsClassification ? new int[targets] : null, example.Side,
            signature.IsClassification ? null : new float[targets]);
        var chunk = padded ? 64 : 1;
        var workspace = Network(loaded, weights, signature).CreateWorkspace();
        var batch = new Batch(signature, chunk);
        var outputs = new List<IReadOnlyList<float>>();
        for (var first = 0; first < rows.Count; first += chunk)
        {
            var indices = Enumerable.Range(first, Math.Min(chunk, rows.Count - first)).ToArray();
            data.FillBatch(indices, batch, toLongest: !padded);
            workspace.Forward(batch, 0, indices.Length, training: false, seed: 0, step: 0);
            workspace.ComputeLoss(batch, indices.Length);
            var width = workspace.Outputs.Length / indices.Length;
            for (var i = 0; i < indices.Length; i++) outputs.Add(workspace.Outputs.Slice(i * width, width).ToArray());
        }
        return outputs;
    }

    /// <summary>
    /// Where a direction's memory holds step <paramref name="t"/>: t itself without a mask; under one, the step's
    /// place in compact time (read backwards for the backward direction), or null for a padding step it skipped.
    /// </summary>
    private static int? MemoryStep(SequenceMask? mask, bool reverse, int t)
    {
        if (mask is null) return t;
        if (!mask.Real[t]) return null; // one example: index t·batch + 0
        var compact = mask.Zero[t];
        return reverse ? mask.Lengths[0] - 1 - compact : compact;
    }
}
