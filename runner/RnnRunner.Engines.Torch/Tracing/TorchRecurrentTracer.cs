using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Inspection;
using RnnRunner.Engines.Torch.Layers;
using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch.Tracing;

/// <summary>
/// The torch engine's recurrent layers from inside. libtorch's fused kernels keep no gates, so each layer's input is
/// computed by the model's own modules up to it, and the layer then steps its cell by hand on its own parameters
/// (<see cref="RecurrentLayer.Trace"/>): the quantities the scratch engine reads from its cells, computed by libtorch.
/// </summary>
public sealed class TorchRecurrentTracer : IRecurrentTracer
{
    public IReadOnlyList<TracedLayer> Trace(ModelPlan plan, IReadOnlyList<NamedTensor> weights, TraceExample example)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var model = new TorchSequentialModel(plan);
        model.LoadWeights(weights);
        model.eval();
        var steps = example.Steps;
        var x = example.Tokens is { } tokens
            ? tensor(tokens, [1, steps])
            : tensor(example.Features!, [1, steps, plan.Data.InputWidth]);
        var sequenceMask = example.Tokens is not null && plan.Layers.Any(l => l.Output.Masked) ? new SequenceMask(example.Tokens, 1, steps) : null;
        var mask = sequenceMask is null ? null : new TorchMask(sequenceMask, CPU);
        var layers = new List<TracedLayer>();
        foreach (var (planned, layer) in model.Layers)
        {
            var layerMask = planned.Input.Masked ? mask : null;
            if (layer is RecurrentLayer recurrent)
                layers.AddRange(recurrent.Trace(x, layerMask?.Mask).Select(d => new TracedLayer(planned.Path, planned.DisplayName, d.Direction, d.Steps)));
            x = layer.Forward(x, layerMask);
        }
        return layers;
    }
}
