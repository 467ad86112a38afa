using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.EngineSelection;

/// <summary>
/// A few training steps and evaluation batches of the run's own model on one engine, on a synthetic batch of the
/// run's shape: a warm-up call each, then at least two timed calls and half a second (a fifth for evaluation), at
/// most ten. The model is thrown away; the run builds its own, from the same seed, afterwards.
/// </summary>
public static class EngineCalibration
{
    public static EngineTiming Time(IEngine engine, LoadedSpec loaded)
    {
        var spec = loaded.Spec;
        var batch = SyntheticBatch.For(loaded.Plan.Data, spec.Training.BatchSize, spec.Seed);
        using var model = engine.Build(loaded.Plan, spec.Training, spec.Device, spec.Seed);
        var train = StepTimer.MeanMilliseconds(() => model.TrainStep(batch), minCalls: 2, minSeconds: 0.5, maxCalls: 10);
        var evaluate = StepTimer.MeanMilliseconds(() => model.Evaluate(batch), minCalls: 2, minSeconds: 0.2, maxCalls: 10);
        return new EngineTiming(SpecNames.Of(engine.Kind), Math.Round(train, 3), Math.Round(evaluate, 3));
    }
}
