using System.Globalization;
using RnnRunner.Core.Results;

namespace RnnRunner.Core.Search;

/// <summary>
/// What a study optimises: a logged metric's best epoch, or — as a second objective — a property of the trial's run
/// (its trainable parameters, its seconds per epoch); minimised or maximised.
/// </summary>
public sealed record Objective(string Metric, bool Maximize)
{
    /// <summary>The model's trainable parameters (summary.json's parameters).</summary>
    public const string Parameters = "parameters";

    /// <summary>The run's mean wall time per epoch (summary.json's seconds_per_epoch).</summary>
    public const string SecondsPerEpoch = "seconds_per_epoch";

    /// <summary>The value turned so that lower is better, as samplers and pruners compare values.</summary>
    public double Oriented(double value) => Maximize ? -value : value;

    public string Direction => Maximize ? "maximize" : "minimize";

    /// <summary>Whether trials report it every epoch (a logged metric), rather than once, from their run.</summary>
    public bool IsLogged => Metric is not (Parameters or SecondsPerEpoch);

    /// <summary>Its value for the finished run in <paramref name="runFolder"/> (a logged metric: its best epoch); null when unknown.</summary>
    public double? Measure(string runFolder)
    {
        var run = RunFolder.At(runFolder);
        if (!IsLogged)
            return RunSummary.TryRead(run.Summary, out _) is not { } summary ? null
                : Metric == Parameters ? summary.Parameters : summary.SecondsPerEpoch;
        if (!File.Exists(run.Metrics)) return null;
        var values = MetricsCsv.Read(run.Metrics).Where(m => m.Values.ContainsKey(Metric)).Select(m => Oriented(m.Values[Metric])).ToList();
        return values.Count == 0 ? null : Oriented(values.Min());
    }

    /// <summary>A value as people read it: parameters whole, anything else to six digits.</summary>
    public string Format(double value) =>
        Metric == Parameters ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("G6", CultureInfo.InvariantCulture);
}
