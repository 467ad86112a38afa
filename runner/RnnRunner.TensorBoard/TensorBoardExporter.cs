using RnnRunner.Core.Engines;
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
/// Keras and PyTorch ones. The resolved spec is logged as text at step 0; a run given settings of its own (a grid's
/// or study's trial, a --set) is also a session of the HPARAMS tab (<see cref="HParamsSession"/>).
/// </summary>
public sealed class TensorBoardExporter : IRunOutputKind
{
    public IRunOutput Start(RunFolder folder, LoadedSpec spec)
    {
        var root = folder.TensorBoard;
        var train = SummaryWriter(Path.Combine(root, "train"));
        var validation = SummaryWriter(Path.Combine(root, "validation"));
        train.add_text("hyperparameters", "```yaml\n" + SpecWriter.ToYaml(spec.Spec) + "```", 0);
        var settings = Settings(spec.Overrides);
        if (settings.Count > 0)
            HParamsSession.Start(root, settings, string.Join(", ", settings.Where(s => s.Key != "seed").Select(s => $"{s.Key}={s.Value}")), DateTime.UtcNow);
        return new Writer(train, validation, settings.Count > 0 ? root : null);
    }

    /// <summary>The run's own settings, path → value, from its overrides (path=value; the run's name left out).</summary>
    public static IReadOnlyDictionary<string, string> Settings(IReadOnlyList<string> overrides)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in overrides)
        {
            var at = text.IndexOf('=', StringComparison.Ordinal);
            if (at > 0 && text[..at].Trim() is var path and not "name") settings[path] = text[(at + 1)..].Trim();
        }
        return settings;
    }

    /// <summary>
    /// Nothing to dispose: TorchSharp's SummaryWriter opens its event file, appends one record and closes it again on
    /// every call (SummaryWriter.WriteEvent), so no handle outlives a call.
    /// </summary>
    /// <param name="session">The folder of its HPARAMS session, or null when it is not one.</param>
    private sealed class Writer(SummaryWriter train, SummaryWriter validation, string? session) : IRunOutput
    {
        /// <summary>A run that ended for good ends its session; a paused or interrupted one may go on, and TensorBoard keeps the first end it reads.</summary>
        public void Finished(RunSummary summary, IReadOnlyList<EpochMetrics> history)
        {
            if (session is null) return;
            var status = summary.Status switch
            {
                RunStatus.Completed => HParamsSession.Status.Success,
                RunStatus.Failed or RunStatus.Diverged => HParamsSession.Status.Failure,
                _ => (HParamsSession.Status?)null,
            };
            if (status is { } ended) HParamsSession.End(session, ended, summary.FinishedUtc ?? DateTime.UtcNow);
        }

        public void EpochCompleted(EpochMetrics metrics, IReadOnlyList<EpochMetrics> history, bool isBest)
        {
            foreach (var (name, value) in metrics.Values)
            {
                var key = MetricKey.Parse(name);
                (key.Split == DataSplit.Validation ? validation : train).add_scalar("epoch_" + key.Quantity, (float)value, metrics.Epoch);
            }
            train.add_scalar("epoch_learning_rate", (float)metrics.LearningRate, metrics.Epoch);
        }

        /// <summary>Keras' histogram_freq: each weight under its portable name, its gradient beside it, in the train run.</summary>
        public void WeightsAfter(int epoch, IReadOnlyList<NamedTensor> weights, IReadOnlyList<NamedTensor> gradients)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            foreach (var w in weights) train.add_histogram(w.Name, TorchSharp.torch.tensor(w.Values), epoch);
            foreach (var g in gradients) train.add_histogram($"{g.Name}/gradient", TorchSharp.torch.tensor(g.Values), epoch);
        }
    }
}
