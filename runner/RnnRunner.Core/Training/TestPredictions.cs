using System.Globalization;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;

namespace RnnRunner.Core.Training;

/// <summary>
/// One prediction on the test split: which target (the example's place in the split, and its step for per-step
/// targets), what it should be, what the model said, and how it fared — per example, so that two runs evaluated on
/// the same test set can be compared example by example (McNemar's test), not only by their means.
/// </summary>
/// <param name="Id">The example's index in the test split; "index:step" for a per-step target, "index:k" for the k-th of several values.</param>
/// <param name="Probability">Classification: the model's probability of the class it chose.</param>
/// <param name="Correct">Classification: whether the chosen class is the target.</param>
/// <param name="AbsoluteError">Regression: |output − target|.</param>
public sealed record TestPrediction(string Id, string Target, string Output, double? Probability, bool? Correct, double? AbsoluteError);

/// <summary>Collects <see cref="TestPrediction"/>s batch by batch as the test split is evaluated (masked padding steps left out).</summary>
public sealed class TestPredictions(DataSignature data, bool maskedSteps)
{
    private readonly List<TestPrediction> _rows = [];

    public IReadOnlyList<TestPrediction> Rows => _rows;

    public void Add(Batch batch, IReadOnlyList<int> indices, BatchResult result)
    {
        var outputs = result.Outputs.Span;
        var perExample = data.IsClassification ? batch.TargetLabels.Length / batch.Count : batch.TargetValues.Length / batch.Count;
        var masked = maskedSteps && data.TargetIsSequence;
        for (var b = 0; b < batch.Count; b++)
            for (var k = 0; k < perExample; k++)
            {
                var target = b * perExample + k;
                if (masked && batch.TokenIds[data.IsClassification ? target : target / data.TargetWidth] == 0) continue;
                var id = perExample == 1 ? Text(indices[b]) : $"{Text(indices[b])}:{Text(k)}";
                _rows.Add(data.IsClassification ? Classified(id, outputs, batch.TargetLabels[target], target) : Regressed(id, outputs[target], batch.TargetValues[target]));
            }
    }

    private TestPrediction Classified(string id, ReadOnlySpan<float> outputs, int label, int target)
    {
        if (data.Target == TargetKind.BinaryPerSequence)
        {
            var p = outputs[target];
            var chosen = p > 0.5f ? 1 : 0;
            return new TestPrediction(id, Text(label), Text(chosen), chosen == 1 ? p : 1 - p, chosen == label, null);
        }
        var row = outputs.Slice(target * data.TargetWidth, data.TargetWidth);
        var best = 0;
        for (var c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return new TestPrediction(id, Text(label), Text(best), row[best], best == label, null);
    }

    private static TestPrediction Regressed(string id, float output, float target) =>
        new(id, target.ToString("R", CultureInfo.InvariantCulture), output.ToString("R", CultureInfo.InvariantCulture), null, null, Math.Abs((double)output - target));

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
