using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Training;

/// <summary>
/// Tracks the best epoch of a monitored metric and says when patience has run out (Keras' EarlyStopping).
/// Without an early_stopping section it still tracks the best epoch (by val_loss, or loss without validation),
/// which the summary reports; it just never stops.
/// </summary>
public sealed class EarlyStopping
{
    private readonly EarlyStoppingSpec? _spec;
    private readonly bool _higherIsBetter;
    private int _epochsWithoutImprovement;

    public EarlyStopping(TrainingSpec training)
    {
        _spec = training.EarlyStopping;
        Monitor = _spec?.Monitor ?? MetricKey.Loss(training.ValidationSplit > 0 ? DataSplit.Validation : DataSplit.Train).Name;
        _higherIsBetter = _spec?.Mode switch
        {
            MonitorMode.Max => true,
            MonitorMode.Min => false,
            _ => MetricKey.Parse(Monitor).HigherIsBetter,
        };
    }

    public string Monitor { get; }
    public int BestEpoch { get; private set; }
    public double BestValue { get; private set; } = double.NaN;
    public bool RestoreBestWeights => _spec?.RestoreBestWeights ?? false;

    /// <summary>The counters a checkpoint must carry for a resumed run to stop exactly where an unbroken one would.</summary>
    public (int BestEpoch, double BestValue, int EpochsWithoutImprovement) State => (BestEpoch, BestValue, _epochsWithoutImprovement);

    public void Restore((int BestEpoch, double BestValue, int EpochsWithoutImprovement) state) =>
        (BestEpoch, BestValue, _epochsWithoutImprovement) = state;

    /// <summary>Records an epoch; returns whether it is the new best.</summary>
    public bool Observe(EpochMetrics metrics)
    {
        var value = metrics[Monitor];
        var delta = _spec?.MinDelta ?? 0;
        var improved = BestEpoch == 0 || (_higherIsBetter ? value > BestValue + delta : value < BestValue - delta);
        if (improved)
        {
            (BestEpoch, BestValue) = (metrics.Epoch, value);
            _epochsWithoutImprovement = 0;
        }
        else _epochsWithoutImprovement++;
        return improved;
    }

    /// <summary>Keras' rule: stop once `patience` epochs in a row have not improved (patience 0: the first one).</summary>
    public bool ShouldStop => _spec is not null && _epochsWithoutImprovement > 0 && _epochsWithoutImprovement >= _spec.Patience;
}
