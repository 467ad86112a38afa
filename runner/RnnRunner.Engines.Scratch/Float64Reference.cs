using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Network;

namespace RnnRunner.Engines.Scratch;

/// <summary>
/// The scratch network in double precision, as a yardstick: the loss and outputs that given weights produce on a
/// batch, with float32 rounding out of the picture. Tests and `bench kernels` hold either engine's float32
/// evaluation against it.
/// </summary>
public static class Float64Reference
{
    public static (double Loss, double[] Outputs) Evaluate(ModelPlan plan, LossKind loss, IReadOnlyList<NamedTensor> weights, Batch batch)
    {
        var network = new ScratchNetwork<double>(plan, loss);
        network.SetWeights(weights);
        var workspace = network.CreateWorkspace();
        workspace.Forward(batch, 0, batch.Count, training: false, seed: 0, step: 0);
        var terms = network.LossTerms(batch);
        return (workspace.ComputeLoss(batch, terms) / terms, workspace.Outputs.ToArray());
    }
}
