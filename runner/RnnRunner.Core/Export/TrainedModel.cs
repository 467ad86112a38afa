using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Data.Timeseries;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Export;

/// <summary>A finished run's model with everything an export needs: its spec and plan, trained weights, text encoding, classes.</summary>
public sealed record TrainedModel(RunFolder Run, LoadedSpec Spec, IReadOnlyList<NamedTensor> Weights, RunSummary? Summary,
    (TextDataSpec Settings, Vocabulary Vocabulary)? Encoding, IReadOnlyList<string>? Classes, TimeseriesReport? Series)
{
    public static TrainedModel Load(RunFolder run)
    {
        if (!File.Exists(run.Weights)) throw new InvalidDataException($"{run.Path}: no weights.bin here; is this a completed run folder?");
        var spec = TrainedSpec.Load(run);
        var encoding = spec.Spec.Data is TextDataSpec text && File.Exists(run.Vocabulary)
            ? (text, Vocabulary.Parse(run.ReadDataFile(run.Vocabulary), run.Vocabulary))
            : ((TextDataSpec, Vocabulary)?)null;
        var series = spec.Spec.Data is TimeseriesDataSpec && File.Exists(run.Preprocessing) ? TimeseriesReport.FromJson(run.ReadDataFile(run.Preprocessing)) : null;
        return new TrainedModel(run, spec, WeightsFile.Load(run.Weights), File.Exists(run.Summary) ? RunSummary.Read(run.Summary) : null,
            encoding, TrainedClasses.Of(run, spec.Plan.Data)?.Names, series);
    }
}
