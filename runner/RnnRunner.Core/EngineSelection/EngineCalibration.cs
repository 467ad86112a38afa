using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;

namespace RnnRunner.Core.EngineSelection;

/// <summary>
/// A few training steps and evaluation batches of the run's own model on one engine variant, on a synthetic batch
/// of the run's shape: a warm-up call each, then at least two timed calls and half a second (a fifth for
/// evaluation), at most ten. The model is thrown away; the run builds its own, from the same seed, afterwards.
/// </summary>
public static class EngineCalibration
{
    public static EngineTiming Time(IEngine engine, LoadedSpec loaded, EngineVariant variant)
    {
        var (model, batch) = ModelAndBatch(engine, loaded, variant);
        using (model)
        {
            var losses = new List<double>();
            var train = StepTimer.MeanMilliseconds(() => losses.Add(model.TrainStep(batch).Loss), minCalls: 2, minSeconds: 0.5, maxCalls: 10);
            var evaluate = StepTimer.MeanMilliseconds(() => model.Evaluate(batch), minCalls: 2, minSeconds: 0.2, maxCalls: 10);
            return new EngineTiming(variant, Math.Round(train, 3), Math.Round(evaluate, 3), losses[1]);
        }
    }

    /// <summary>
    /// The quickest of three training steps after a warm-up one, in milliseconds: enough to tell a tiny model from a
    /// real one, even on a machine busy with other work.
    /// </summary>
    public static double QuickStep(IEngine engine, LoadedSpec loaded, EngineVariant variant)
    {
        var (model, batch) = ModelAndBatch(engine, loaded, variant);
        using (model) return StepTimer.QuickestMilliseconds(() => model.TrainStep(batch), calls: 3);
    }

    /// <summary>The run's model, freshly built from its seed on <paramref name="variant"/>, and a synthetic batch of its shape.</summary>
    private static (ITrainableModel Model, Batch Batch) ModelAndBatch(IEngine engine, LoadedSpec loaded, EngineVariant variant)
    {
        var spec = loaded.Spec;
        var batch = SyntheticBatch.For(loaded.Plan.Data, spec.Training.BatchSize, spec.Seed);
        return (engine.Build(loaded.Plan, spec.Training, spec.Device, spec.Seed, variant), batch);
    }

    /// <summary>
    /// Whether <paramref name="timing"/> computed what its engine's default variant did: the same model, seed and
    /// batch, so the second steps' losses differ only by float summation order (about 1e-6 relative).
    /// </summary>
    public static bool Agrees(EngineTiming timing, EngineTiming reference) =>
        Math.Abs(timing.SecondStepLoss - reference.SecondStepLoss) <= 1e-3 * Math.Max(1, Math.Abs(reference.SecondStepLoss));
}
