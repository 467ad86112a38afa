using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Training;
using TorchSharp.Modules;
using static TorchSharp.torch.utils.tensorboard;

namespace RnnRunner.TensorBoard;

/// <summary>
/// Writes TensorBoard event files into each run folder, laid out as Keras' TensorBoard callback does —
/// <c>tensorboard/train</c> and <c>tensorboard/validation</c> with <c>epoch_loss</c>, <c>epoch_accuracy</c>, … —
/// so `tensorboard --logdir results/` overlays training and validation curves and shows RnnRunner runs next to
/// Keras and PyTorch ones. The resolved spec is logged as text at step 0: TorchSharp's SummaryWriter has no
/// add_hparams, so the hyperparameters appear in the TEXT tab rather than the HPARAMS one.
/// </summary>
public sealed class TensorBoardExporter : IRunOutputKind
{
    public IRunOutput Start(RunFolder folder, LoadedSpec spec)
    {
        var root = folder.TensorBoard;
        var train = SummaryWriter(Path.Combine(root, "train"));
        var validation = SummaryWriter(Path.Combine(root, "validation"));
        train.add_text("hyperparameters", "```yaml\n" + SpecWriter.ToYaml(spec.Spec) + "```", 0);
        return new Writer(train, validation);
    }

    /// <summary>
    /// Nothing to dispose: TorchSharp's SummaryWriter opens its event file, appends one record and closes it again on
    /// every call (SummaryWriter.WriteEvent), so no handle outlives a call.
    /// </summary>
    private sealed class Writer(SummaryWriter train, SummaryWriter validation) : IRunOutput
    {
        public void EpochCompleted(EpochMetrics metrics, IReadOnlyList<EpochMetrics> history, bool isBest)
        {
            foreach (var (name, value) in metrics.Values)
            {
                var key = MetricKey.Parse(name);
                (key.Split == DataSplit.Validation ? validation : train).add_scalar("epoch_" + key.Quantity, (float)value, metrics.Epoch);
            }
            train.add_scalar("epoch_learning_rate", (float)metrics.LearningRate, metrics.Epoch);
        }
    }
}
