using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Training;

/// <summary>
/// Keras' ReduceLROnPlateau: after <c>patience</c> epochs in a row without an improvement of the monitored metric
/// (by more than <c>min_delta</c>), multiply the learning rate by <c>factor</c> (not below <c>min_lr</c>), then
/// wait <c>cooldown</c> epochs before counting again. Without a reduce_lr_on_plateau section it never changes
/// the rate.
/// </summary>
public sealed class LearningRatePlateau
{
    private readonly ReduceLrOnPlateauSpec? _spec;
    private readonly bool _higherIsBetter;
    private PlateauState _state = new(double.NaN, 0, 0);

    /// <summary>What a checkpoint must carry for a resumed run to lower the rate exactly when an unbroken one would.</summary>
    public sealed record PlateauState(double Best, int Wait, int CooldownLeft);

    public LearningRatePlateau(TrainingSpec training)
    {
        _spec = training.ReduceLrOnPlateau;
        _higherIsBetter = _spec?.Mode switch
        {
            MonitorMode.Max => true,
            MonitorMode.Min => false,
            _ => _spec is not null && MetricKey.Parse(_spec.Monitor).HigherIsBetter,
        };
    }

    public PlateauState State => _state;

    public void Restore(PlateauState state) => _state = state;

    /// <summary>The learning rate for the next epoch, after an epoch that ran at <paramref name="current"/>.</summary>
    public double Next(EpochMetrics metrics, double current)
    {
        if (_spec is null) return current;
        var (best, wait, cooldown) = _state;
        if (cooldown > 0)
        {
            cooldown--;
            wait = 0;
        }
        var value = metrics[_spec.Monitor];
        var improved = double.IsNaN(best) || (_higherIsBetter ? value > best + _spec.MinDelta : value < best - _spec.MinDelta);
        var next = current;
        if (improved)
        {
            best = value;
            wait = 0;
        }
        else if (cooldown == 0 && ++wait >= _spec.Patience && current > _spec.MinLr)
        {
            next = Math.Max(current * _spec.Factor, _spec.MinLr);
            cooldown = _spec.Cooldown;
            wait = 0;
        }
        _state = new PlateauState(best, wait, cooldown);
        return next;
    }
}
