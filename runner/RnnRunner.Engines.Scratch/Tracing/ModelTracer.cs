using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Cells;
using RnnRunner.Engines.Scratch.Layers;
using RnnRunner.Engines.Scratch.Network;

namespace RnnRunner.Engines.Scratch.Tracing;

/// <summary>
/// One recurrent step of one layer (and direction): its input, every gate, the cell state if any, and h_t; or, at a
/// padding step under a mask, <see cref="Skipped"/> with nothing computed (the state carries over unchanged).
/// </summary>
public sealed record TracedStep(int T, IReadOnlyList<float> Input, IReadOnlyList<(string Name, IReadOnlyList<float> Values)> Gates,
    IReadOnlyList<float>? Cell, IReadOnlyList<float> Hidden)
{
    public bool Skipped { get; init; }

    public static TracedStep SkippedAt(int t) => new(t, [], [], null, []) { Skipped = true };
}

/// <summary>A recurrent layer's (or bidirectional direction's) steps, in the order that direction read them.</summary>
public sealed record TracedLayer(string Path, string Cell, string? Direction, IReadOnlyList<TracedStep> Steps);

/// <summary>What <c>rnnrunner trace</c> shows: the example, each recurrent layer step by step, the output.</summary>
/// <param name="AfterEachStep">
/// The model's output on every prefix of a token sequence — what it would say had the text ended at that step, the
/// prefix padded as the data pads — aligned with the steps (null at padding); null for feature sequences.
/// </param>
public sealed record ModelTrace(TraceExample Example, IReadOnlyList<TracedLayer> Layers, IReadOnlyList<float> Output, Activation OutputActivation,
    IReadOnlyList<IReadOnlyList<float>?>? AfterEachStep)
{
    public IReadOnlyList<int>? Tokens => Example.Tokens;
}

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
    /// it is where it was not — padded ones in batches, so a 500-step review costs one pass per 64 prefixes.
    /// </summary>
    private static IReadOnlyList<IReadOnlyList<float>?> AfterEachStep(LoadedSpec loaded, IReadOnlyList<NamedTensor>? weights, TraceExample example)
    {
        var real = example.RealSteps;
        var ids = real.Select(t => example.Tokens![t]).ToArray();
        var padded = real.Count < example.Steps;
        var signature = loaded.Plan.Data with { Steps = example.Steps };
        var rows = Enumerable.Range(1, ids.Length).Select(k => ids[..k]).ToList();
        var data = SequenceDataset.FromRows(signature, rows, signature.IsClassification ? new int[rows.Count * signature.TargetsPerExample] : null, example.Side,
            signature.IsClassification ? null : new float[rows.Count * signature.TargetsPerExample]);
        // Unpadded prefixes go one at a time: a batch would pad the shorter ones to the longest, with an id that may be a word.
        var chunk = padded ? 64 : 1;
        var network = Network(loaded, weights, signature);
        var workspace = network.CreateWorkspace();
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
        var byStep = new IReadOnlyList<float>?[example.Steps];
        for (var k = 0; k < real.Count; k++) byStep[real[k]] = outputs[k];
        return byStep;
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
