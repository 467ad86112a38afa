using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Training;

namespace RnnRunner.Core.Running;

/// <summary>
/// One thing a run writes into its folder from its history — metrics.csv, the charts, TensorBoard event files —
/// told when the run starts (with the history a resume restored), after every epoch, and when it finishes; then
/// disposed. The outputs are peers: <see cref="ExperimentRun"/> calls them in order and knows none by name.
/// summary.json is not one of them: it is the run's status, written before the outputs start and before they
/// finish, so a failing output (a full disk) can never leave the status at "running".
/// </summary>
public interface IRunOutput : IDisposable
{
    void Started(IReadOnlyList<EpochMetrics> restored) { }
    void EpochCompleted(EpochMetrics metrics, IReadOnlyList<EpochMetrics> history, bool isBest) { }
    void Finished(RunSummary summary, IReadOnlyList<EpochMetrics> history) { }

    /// <summary>Every <c>training.histogram_freq</c> epochs: the weights at the epoch's end and their last batch's gradients.</summary>
    void WeightsAfter(int epoch, IReadOnlyList<NamedTensor> weights, IReadOnlyList<NamedTensor> gradients) { }
    void IDisposable.Dispose() { }
}

/// <summary>Makes a run's output once its folder exists (e.g. TensorBoard's writers, in the run's folder).</summary>
public interface IRunOutputKind
{
    IRunOutput Start(RunFolder folder, LoadedSpec spec);
}

/// <summary>metrics.csv (Keras' column names), rewritten whole after every epoch and from a resumed history.</summary>
public sealed class MetricsCsvOutput : IRunOutputKind
{
    public IRunOutput Start(RunFolder folder, LoadedSpec spec) => new Output(folder.Metrics, MetricKey.Logged(spec.Spec.Training).Select(k => k.Name).ToList());

    /// <param name="columns">The logged metrics; gradient norms (training.log_gradient_norms) follow, as the history has them.</param>
    private sealed class Output(string path, IReadOnlyList<string> columns) : IRunOutput
    {
        /// <summary>The checkpoint's history is the truth: a kill can land between its rename and metrics.csv's.</summary>
        public void Started(IReadOnlyList<EpochMetrics> restored)
        {
            if (restored.Count > 0) MetricsCsv.Write(path, With(restored), restored);
        }

        public void EpochCompleted(EpochMetrics metrics, IReadOnlyList<EpochMetrics> history, bool isBest) => MetricsCsv.Write(path, With(history), history);

        private IReadOnlyList<string> With(IReadOnlyList<EpochMetrics> history) =>
            [.. columns, .. history.SelectMany(h => h.Values.Keys).Where(GradientNorms.IsNorm).Distinct().Order(StringComparer.Ordinal)];
    }
}

/// <summary>The run's training curves (through an <see cref="ITrainingCurveChartWriter"/>), drawn once it finishes.</summary>
public sealed class TrainingCurvesOutput(ITrainingCurveChartWriter charts) : IRunOutputKind
{
    public IRunOutput Start(RunFolder folder, LoadedSpec spec) =>
        new Output(charts, folder.Plots, spec.Spec.Name, SpecNames.Of(spec.Spec.Training.Loss));

    private sealed class Output(ITrainingCurveChartWriter charts, string plots, string name, string loss) : IRunOutput
    {
        public void Finished(RunSummary summary, IReadOnlyList<EpochMetrics> history)
        {
            if (history.Count > 0) charts.WriteRunCharts(plots, name, loss, history, summary.BestEpoch ?? 0);
        }
    }
}
