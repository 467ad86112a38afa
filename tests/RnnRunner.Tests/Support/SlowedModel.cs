using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;

namespace RnnRunner.Tests.Support;

/// <summary>
/// A stand-in engine's model: another model's, each training step slowed by <paramref name="delay"/> and its loss
/// shifted by <paramref name="lossShift"/> (a variant that computes other numbers).
/// </summary>
public sealed class SlowedModel(ITrainableModel inner, TimeSpan delay, double lossShift = 0) : ITrainableModel
{
    public BatchResult TrainStep(Batch batch)
    {
        Thread.Sleep(delay);
        var result = inner.TrainStep(batch);
        return result with { Loss = result.Loss + lossShift };
    }

    public BatchResult Evaluate(Batch batch) => inner.Evaluate(batch);
    public ReadOnlyMemory<float> Predict(Batch batch) => inner.Predict(batch);

    public IReadOnlyList<NamedTensor> OutputGradients(Batch batch, int output) => inner.OutputGradients(batch, output);

    public IReadOnlyList<NamedTensor> LastGradients() => inner.LastGradients();
    public double LearningRate { get => inner.LearningRate; set => inner.LearningRate = value; }
    public IReadOnlyList<NamedTensor> GetWeights() => inner.GetWeights();
    public void SetWeights(IReadOnlyList<NamedTensor> weights) => inner.SetWeights(weights);
    public void SaveTrainingState(Stream stream) => inner.SaveTrainingState(stream);
    public void LoadTrainingState(Stream stream) => inner.LoadTrainingState(stream);
    public void Dispose() => inner.Dispose();
}
