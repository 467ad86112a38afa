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

/// <summary>What <c>rnnrunner trace</c> shows: the example's tokens or features, each recurrent layer step by step, the output.</summary>
public sealed record ModelTrace(int Example, int Steps, int TotalSteps, IReadOnlyList<int>? Tokens, IReadOnlyList<TracedLayer> Layers,
    IReadOnlyList<float> Output, Activation OutputActivation);

/// <summary>
/// Walks one example through the model on the scratch engine, in inference mode, and records every
/// intermediate value — the numpy exercise of computing an RNN by hand, for any spec.
/// </summary>
public static class ModelTracer
{
    /// <param name="weights">Trained weights (from a run folder), or null for the spec's seeded initialisation.</param>
    /// <param name="steps">How many leading time steps of the example to feed.</param>
    public static ModelTrace Trace(LoadedSpec loaded, IReadOnlyList<NamedTensor>? weights, int example, int steps)
    {
        var source = DataSources.For(loaded.Spec.Data).Load(loaded.Spec.Seed, CancellationToken.None).Train;
        if (example < 0 || example >= source.Count)
            throw new ArgumentException($"--example {example} is outside the training split's 0…{source.Count - 1}");
        // The example as a batch pads it: to the data's length, or to its own with length batches.
        var fullSignature = source.Signature;
        var padded = new Batch(fullSignature, 1);
        source.FillBatch([example], padded, loaded.Spec.Training.Batching.ByLength);
        var totalSteps = padded.Steps;
        steps = Math.Clamp(steps, 1, totalSteps);

        // A one-example dataset holding the first `steps` steps of the chosen example.
        var signature = fullSignature with { Steps = steps };
        var width = fullSignature.Input == InputKind.Tokens ? 1 : fullSignature.InputWidth;
        int[]? tokens = source.Tokens is null ? null : padded.TokenIds[..steps].ToArray();
        float[]? features = source.Features?.AsSpan(example * fullSignature.InputsPerExample, steps * width).ToArray();
        var targets = signature.TargetsPerExample;
        var one = new SequenceDataset(signature, 1, tokens, features,
            signature.IsClassification ? new int[targets] : null, signature.IsClassification ? null : new float[targets]);
        var batch = new Batch(signature, 1);
        one.FillBatch([0], batch);

        var plan = loaded.Plan with
        {
            Data = signature,
            Layers = loaded.Plan.Layers.Select(l => l with
            {
                Input = l.Input.IsSequence ? l.Input with { Steps = steps } : l.Input,
                Output = l.Output.IsSequence ? l.Output with { Steps = steps } : l.Output,
            }).ToList(),
        };
        var network = new ScratchNetwork<float>(plan, loaded.Spec.Training.Loss);
        network.Initialise(loaded.Spec.Seed);
        if (weights is not null) network.SetWeights(weights);
        var workspace = network.CreateWorkspace();
        workspace.Forward(batch, 0, 1, training: false, seed: 0, step: 0);
        workspace.ComputeLoss(batch, 1);

        var layers = new List<TracedLayer>();
        var offset = network.Embedding is null ? 0 : 1;
        for (var i = 0; i < network.Layers.Count; i++)
        {
            if (network.Layers[i] is not RecurrentLayer<float> recurrent) continue;
            var planned = plan.Layers[i + offset];
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
        return new ModelTrace(example, steps, totalSteps, tokens, layers, workspace.Outputs.ToArray(), network.OutputActivation);
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
