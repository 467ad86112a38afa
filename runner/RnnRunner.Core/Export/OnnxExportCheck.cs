using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Export;

/// <summary>How the exported graph compared with the run's engine on the run's own test examples.</summary>
/// <param name="Difference">The largest difference, relative to the output where it exceeds 1 (else absolute).</param>
public sealed record OnnxCheck(int Examples, string Engine, double Difference, double Tolerance)
{
    public string Describe() => FormattableString.Invariant(
        $"ONNX Runtime gives the {Engine} engine's outputs on {Examples} test examples to within {Difference:0.0e+0} (tolerance {Tolerance:0e+0})");
}

/// <summary>
/// Every ONNX export is checked before it is written: the graph runs in ONNX Runtime beside the run's engine on the
/// first examples of the run's test split, and a difference beyond float32 rounding stops the export. When the run's
/// data is not on this machine the check is skipped, and said so.
/// </summary>
public static class OnnxExportCheck
{
    public const int Examples = 32;

    /// <summary>
    /// 1e-5 relative up to 100 steps; beyond, float32 rounding compounds through the recurrence (the engines and ONNX
    /// Runtime sum the gate products in their own orders), so a 500-step review is held to 1e-4.
    /// </summary>
    public static double Tolerance(int steps) => steps <= 100 ? 1e-5 : 1e-4;

    /// <summary>The comparison, or null with <paramref name="skipped"/> saying why it could not be made.</summary>
    public static OnnxCheck? Run(TrainedModel model, byte[] onnx, EngineCatalog engines, out string? skipped)
    {
        SequenceDataset test;
        try
        {
            test = DataSources.LoadSplits(model.Spec.Spec.Data, 0, model.Spec.Spec.Seed).Test;
        }
        catch (Exception e) when (e is DatasetException or IOException or SpecException or InvalidDataException)
        {
            skipped = $"not checked against the engine: the run's data cannot be read here ({e.Message.Split(Environment.NewLine)[0]})";
            return null;
        }
        skipped = null;
        var count = Math.Min(Examples, test.Count);
        if (count == 0)
        {
            skipped = "not checked against the engine: the run's test split is empty";
            return null;
        }
        var batch = new Batch(test.Signature, count);
        test.FillBatch(Enumerable.Range(0, count).ToArray(), batch, toLongest: true);
        using var engine = TrainedSpec.BuildModel(model.Spec, model.Run, engines);
        var expected = engine.Predict(batch).ToArray();
        using var runner = new OnnxRunner(onnx);
        var actual = test.Signature.Input == InputKind.Tokens
            ? runner.Run([.. batch.TokenIds.ToArray().Select(id => (long)id)], count, batch.Steps)
            : runner.Run(batch.InputFeatures.ToArray(), count, batch.Steps, test.Signature.InputWidth);
        var (difference, at) = expected.Select((e, i) => (Math.Abs(e - actual[i]) / Math.Max(1, Math.Abs(e)), i)).Max();
        var check = new OnnxCheck(count, SpecNames.Of(model.Spec.Spec.Engine), difference, Tolerance(batch.Steps));
        if (expected.Length != actual.Length || difference > check.Tolerance)
            throw new ExportException(FormattableString.Invariant(
                $"model.onnx differs from the {check.Engine} engine by {difference:0.0e+0} on test example {at / (expected.Length / count)} (tolerance {check.Tolerance:0e+0}); nothing was written. Please report this with the run's spec."));
        return check;
    }
}
