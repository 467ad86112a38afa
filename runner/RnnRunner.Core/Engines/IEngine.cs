using RnnRunner.Core.Data;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Engines;

/// <summary>
/// A way to build and train models: TorchSharp (libtorch) or the scratch engine. Everything else — data,
/// batching, metrics, early stopping, results — is shared and lives outside the engines.
/// </summary>
public interface IEngine
{
    EngineKind Kind { get; }

    /// <summary>Library versions for the run summary, e.g. TorchSharp and libtorch.</summary>
    IReadOnlyDictionary<string, string> Versions { get; }

    /// <summary>
    /// Which implementation runs the recurrent layers on this machine (recorded in summary.json): numbers can
    /// depend on it, so a result says where it came from.
    /// </summary>
    string RecurrentKernels { get; }

    /// <summary>Why this engine cannot use <paramref name="device"/> on this machine, or null when it can.</summary>
    string? DeviceProblem(DeviceKind device);

    /// <summary>
    /// Everything that keeps this engine from running <paramref name="plan"/> on <paramref name="device"/> here, at
    /// spec paths: a device it lacks, a layer type it has no module for. Asked once while a spec is loaded for a run.
    /// </summary>
    IEnumerable<PlanError> Problems(ModelPlan plan, DeviceKind device)
    {
        if (DeviceProblem(device) is { } problem) yield return new PlanError("device", problem);
        foreach (var layer in plan.Layers)
            if (Layers.LayerModules.Find(GetType().Assembly, layer.Spec.GetType()) is null)
                yield return new PlanError($"{layer.Path}.type", $"the {SpecNames.Of(Kind)} engine has no {layer.DisplayName} layer; use another engine");
    }

    /// <summary>
    /// The engine's settings before it knows a model (every core it may use): the variant whose numbers others are
    /// checked against. A run trains with the first of <see cref="Variants"/>, which may fit the model (fewer threads).
    /// </summary>
    EngineVariant DefaultVariant { get; }

    /// <summary>
    /// The variants of this engine worth timing for <paramref name="plan"/> trained with <paramref name="training"/> on
    /// <paramref name="device"/> here, the one it trains with unless told otherwise first. One variant: nothing to
    /// choose, and no calibration.
    /// </summary>
    IReadOnlyList<EngineVariant> Variants(ModelPlan plan, TrainingSpec training, DeviceKind device) => [DefaultVariant];

    /// <summary>What runs the recurrent layers under <paramref name="variant"/> (summary.json's <c>recurrent_kernels</c>).</summary>
    string RecurrentKernelsOf(EngineVariant variant) => RecurrentKernels;

    /// <summary>
    /// Builds a freshly initialised model for <paramref name="plan"/>, seeded by <paramref name="seed"/>, running as
    /// <paramref name="variant"/> (null: <see cref="DefaultVariant"/>).
    /// </summary>
    ITrainableModel Build(ModelPlan plan, TrainingSpec training, DeviceKind device, int seed, EngineVariant? variant = null);
}

/// <summary>The result of one batch: the mean loss and the model's outputs (after the final activation).</summary>
/// <param name="Loss">Mean loss over the batch's targets.</param>
/// <param name="Outputs">(B, out) or (B, T, out) predictions, row-major; valid until the next call.</param>
public readonly record struct BatchResult(double Loss, ReadOnlyMemory<float> Outputs);

/// <summary>What predicting needs of a model: its outputs for a batch. An engine's model, or an exported ONNX one.</summary>
public interface IPredictionModel : IDisposable
{
    /// <summary>The model's outputs (after the final activation) for a batch whose targets are ignored.</summary>
    ReadOnlyMemory<float> Predict(Batch batch);
}

/// <summary>A built model with its optimizer: what the trainer drives.</summary>
public interface ITrainableModel : IPredictionModel
{
    /// <summary>Forward, loss, backward (through time), gradient clipping and one optimizer step.</summary>
    BatchResult TrainStep(Batch batch);

    /// <summary>Forward and loss only, in inference mode (no dropout, no gradients).</summary>
    BatchResult Evaluate(Batch batch);

    /// <summary>
    /// Whether the model's per-step outputs carry a padding mask (an embedding with mask_zero upstream): then losses
    /// and metrics leave out the steps whose token id is 0.
    /// </summary>
    bool MasksOutputSteps => false;

    /// <summary>
    /// d(the sum over the batch's examples of output <paramref name="output"/>, after the final activation)/d(each
    /// weight), in inference mode (no dropout), by portable name: what integrated gradients read. The weights are
    /// unchanged; the model's outputs must be one row per example.
    /// </summary>
    IReadOnlyList<NamedTensor> OutputGradients(Batch batch, int output);

    /// <summary>
    /// Each layer's gradient norm from the last <see cref="TrainStep"/>, before clipping (<see cref="Training.GradientNorms"/>),
    /// when training.log_gradient_norms asked for it; else null.
    /// </summary>
    IReadOnlyDictionary<string, double>? GradientNorms => null;

    /// <summary>
    /// The gradient of every weight from the last <see cref="TrainStep"/>, as the optimizer applied it (after any
    /// clipping), by portable name: what TensorBoard's gradient histograms show.
    /// </summary>
    IReadOnlyList<NamedTensor> LastGradients();

    /// <summary>The optimizer's current learning rate; a schedule (reduce_lr_on_plateau) sets it between epochs.</summary>
    double LearningRate { get; set; }

    /// <summary>Copies of all weights, by portable name (used to restore the best epoch and to save).</summary>
    IReadOnlyList<NamedTensor> GetWeights();

    /// <summary>Loads weights produced by <see cref="GetWeights"/> (of either engine).</summary>
    void SetWeights(IReadOnlyList<NamedTensor> weights);

    /// <summary>Everything needed to continue training exactly: weights, optimizer state, the engine's random state.</summary>
    void SaveTrainingState(Stream stream);

    /// <summary>Restores what <see cref="SaveTrainingState"/> wrote, for the same model and optimizer.</summary>
    void LoadTrainingState(Stream stream);
}
