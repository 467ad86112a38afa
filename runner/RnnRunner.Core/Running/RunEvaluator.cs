using System.Text.Json;
using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Data.Timeseries;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;
using RnnRunner.Core.Storage;
using RnnRunner.Core.Training;

namespace RnnRunner.Core.Running;

/// <summary>
/// A trained model's loss and metrics on one split of its own data or of other data, and for a classifier the
/// confusion matrix (rows: true class; columns: predicted class). Saved as evaluations/NNN.json in the run folder,
/// its per-target predictions beside it as NNN.predictions.csv (predictions.csv's columns).
/// </summary>
public sealed record Evaluation(string Dataset, string Split, int Examples, IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<string>? Classes, IReadOnlyList<int[]>? Confusion)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<TestPrediction> Predictions { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, RunSummary.JsonOptions);
}

/// <summary>
/// Evaluates a run folder's weights: the model is rebuilt from the run's resolved spec, and other data are encoded
/// as the run encoded its own (its vocabulary, its series normalisation), then checked to fit the model's inputs and
/// outputs before anything is computed.
/// </summary>
public static class RunEvaluator
{
    /// <param name="data">Other data to evaluate on (a data section); null evaluates on the run's own data.</param>
    public static Evaluation Evaluate(RunFolder folder, EngineCatalog engines, DataSpec? data, DataSplit split, CancellationToken cancellation = default)
    {
        var run = TrainedSpec.Load(folder);
        var spec = data is null ? run.Spec : run.Spec with { Data = data };
        // Whether the data fit the model comes first: the model's own checks against misfitting data would only list symptoms.
        var signature = DataSources.For(spec.Data, validationSplit: spec.Training.ValidationSplit).Describe();
        if (Mismatch(run.Plan.Data, signature) is { } mismatch) throw new DatasetException($"the data to evaluate on {mismatch}");
        var (_, _, _, errors) = SpecLoader.Validate(spec);
        if (errors.Count > 0) throw new DatasetException($"the data to evaluate on: {errors[0].Path}: {errors[0].Message}");

        var environment = DataEnvironment.FromEnvironment() with { Trained = TrainedInputsOf(folder, run.Spec.Data) };
        var splits = DataSources.LoadSplits(spec.Data, spec.Training.ValidationSplit, spec.Seed, cancellation, environment);
        var examples = split switch { DataSplit.Train => splits.Train, DataSplit.Validation => splits.Validation, _ => splits.Test };
        if (examples.Count == 0) throw new DatasetException($"the {SpecNames.Of(split)} split of these data holds no examples");

        var classes = ClassNames(splits, signature);
        if (data is not null && classes is not null && TrainedClasses.Of(folder, run.Plan.Data)?.MismatchWith(classes) is { } wrong)
            throw new DatasetException($"the data to evaluate on {wrong}");
        using var model = TrainedSpec.BuildModel(run, folder, engines);
        return Run(model, run.Spec.Training, examples, split, classes, spec.Data, cancellation);
    }

    /// <summary>How other data would not fit the trained model (input kind or width, target kind or width), or null.</summary>
    private static string? Mismatch(DataSignature trained, DataSignature other)
    {
        if (trained.Input != other.Input || trained.InputWidth != other.InputWidth)
            return $"give {other.Input.ToString().ToLowerInvariant()} of width {other.InputWidth}; the model takes {trained.Input.ToString().ToLowerInvariant()} of width {trained.InputWidth}";
        if (trained.Target != other.Target || trained.TargetWidth != other.TargetWidth)
            return $"have targets {other.Target} of width {other.TargetWidth}; the model predicts {trained.Target} of width {trained.TargetWidth}";
        return null;
    }

    /// <summary>What the run fixed about its inputs: a text run's vocabulary, a series run's normalisation.</summary>
    private static TrainedInputs? TrainedInputsOf(RunFolder folder, DataSpec trainedOn)
    {
        var vocabulary = File.Exists(folder.Vocabulary) ? Vocabulary.Parse(folder.ReadDataFile(folder.Vocabulary), folder.Vocabulary) : null;
        IReadOnlyDictionary<string, ColumnStatistics>? statistics = null;
        if (trainedOn is TimeseriesDataSpec && File.Exists(folder.Preprocessing))
            statistics = TimeseriesReport.FromJson(folder.ReadDataFile(folder.Preprocessing)) is { Normalized: true } series ? series.Statistics : null;
        return vocabulary is null && statistics is null ? null : new TrainedInputs(vocabulary, statistics);
    }

    /// <summary>Class names in label order: a text dataset's (its report), else the label numbers; null for regression.</summary>
    private static IReadOnlyList<string>? ClassNames(DatasetSplits splits, DataSignature signature)
    {
        if (!signature.IsClassification) return null;
        if (splits.Report?.Splits.GetValueOrDefault(TextPreprocessor.Train)?.Classes.Keys.ToList() is { Count: > 0 } names) return names;
        return Enumerable.Range(0, signature.TargetWidth).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    private static Evaluation Run(ITrainableModel model, TrainingSpec training, SequenceDataset examples, DataSplit split,
        IReadOnlyList<string>? classes, DataSpec data, CancellationToken cancellation)
    {
        var signature = examples.Signature;
        var batch = new Batch(signature, training.BatchSize);
        var metrics = new MetricAccumulator(signature, training.Metrics, model.MasksOutputSteps);
        var confusion = classes?.Select(_ => new int[classes.Count]).ToArray();
        var predictions = new TestPredictions(signature, model.MasksOutputSteps);
        foreach (var indices in BatchOrder.Evaluation(examples, training))
        {
            cancellation.ThrowIfCancellationRequested();
            examples.FillBatch(indices, batch, training.Batching.ByLength);
            var result = model.Evaluate(batch);
            metrics.Add(batch, result);
            predictions.Add(batch, indices, result);
            if (confusion is not null) Count(confusion, batch, result.Outputs.Span, signature, model.MasksOutputSteps);
        }
        return new Evaluation(SpecSchema.UnionOf(typeof(DataSpec)).NameOf(data.GetType()), SpecNames.Of(split), examples.Count,
            metrics.Results(split).ToDictionary(), classes, confusion)
        { Predictions = predictions.Rows };
    }

    /// <summary>Adds each target's (true, predicted) class; per-step targets on padding are left out under a mask.</summary>
    private static void Count(int[][] confusion, Batch batch, ReadOnlySpan<float> outputs, DataSignature signature, bool masked)
    {
        var labels = batch.TargetLabels;
        for (var i = 0; i < labels.Length; i++)
        {
            if (masked && signature.TargetIsSequence && batch.TokenIds[i] == 0) continue;
            var predicted = signature.Target == TargetKind.BinaryPerSequence
                ? outputs[i] > 0.5f ? 1 : 0
                : ArgMax(outputs.Slice(i * signature.TargetWidth, signature.TargetWidth));
            confusion[labels[i]][predicted]++;
        }
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>Writes evaluations/NNN.json (the next free number) and returns its path.</summary>
    public static string Save(RunFolder folder, Evaluation evaluation)
    {
        var path = NumberedFile.Claim(folder.File("evaluations"), ".json");
        if (evaluation.Predictions.Count > 0) PredictionsCsv.Write(Path.ChangeExtension(path, ".predictions.csv"), evaluation.Predictions);
        AtomicFile.WriteAllText(path, evaluation.ToJson() + "\n");
        return path;
    }
}
