using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Inspection;
using RnnRunner.Engines.Scratch.Cells;
using RnnRunner.Engines.Scratch.Layers;
using RnnRunner.Engines.Scratch.Network;

namespace RnnRunner.Engines.Scratch.Tracing;

/// <summary>
/// The scratch engine's recurrent layers from inside: one example through the network in inference mode, every gate,
/// cell state and h read straight from the cells' memories (what backpropagation through time keeps anyway) — the
/// numpy exercise of computing an RNN by hand, for any spec.
/// </summary>
public sealed class ScratchRecurrentTracer : IRecurrentTracer
{
    public IReadOnlyList<TracedLayer> Trace(ModelPlan plan, IReadOnlyList<NamedTensor> weights, TraceExample example)
    {
        var steps = example.Steps;
        var batch = SequenceDataset.Unlabelled(plan.Data, 1, example.Tokens, example.Features).AllInOneBatch();
        var network = new ScratchNetwork<float>(plan, plan.Loss);
        network.SetWeights(weights);
        var workspace = network.CreateWorkspace();
        workspace.Forward(batch, 0, 1, training: false, seed: 0, step: 0);

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
        return layers;
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
