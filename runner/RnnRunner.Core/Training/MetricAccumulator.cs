using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Training;

/// <summary>
/// Accumulates loss and metrics over the batches of one pass, weighting each batch by its size, so the epoch
/// value is the mean over examples whatever the last batch's size (as Keras reports it). Written once for both
/// engines: they only return outputs. With <paramref name="maskedSteps"/> (per-step outputs under a padding mask),
/// steps whose token id is 0 are left out, as Keras leaves masked steps out of its metrics.
/// </summary>
public sealed class MetricAccumulator(DataSignature data, IReadOnlyList<MetricKind> metrics, bool maskedSteps = false)
{
    private double _lossSum, _correct, _absoluteErrorSum;
    private long _examples, _targets;

    public void Add(Batch batch, BatchResult result)
    {
        _lossSum += result.Loss * batch.Count;
        _examples += batch.Count;
        var outputs = result.Outputs.Span;
        var masked = maskedSteps && data.TargetIsSequence;
        if (data.IsClassification)
        {
            var labels = batch.TargetLabels;
            if (metrics.Contains(MetricKind.Accuracy)) _correct += CountCorrect(outputs, labels, batch, masked);
            _targets += masked ? CountReal(batch, 0, labels.Length) : labels.Length;
        }
        else
        {
            var values = batch.TargetValues;
            var width = data.TargetWidth;
            for (var i = 0; i < values.Length; i++)
                if (!masked || IsReal(batch, i / width)) _absoluteErrorSum += Math.Abs(outputs[i] - values[i]);
            _targets += masked ? CountReal(batch, 0, values.Length / width) * width : values.Length;
        }
    }

    /// <summary>Whether per-step target <paramref name="target"/> (example-major) sits on a real token.</summary>
    private static bool IsReal(Batch batch, int target) => batch.TokenIds[target] != 0;

    private static int CountReal(Batch batch, int from, int count)
    {
        var real = 0;
        for (var i = from; i < from + count; i++) if (IsReal(batch, i)) real++;
        return real;
    }

    private double CountCorrect(ReadOnlySpan<float> outputs, ReadOnlySpan<int> labels, Batch batch, bool masked)
    {
        var correct = 0;
        if (data.Target == TargetKind.BinaryPerSequence)
        {
            for (var i = 0; i < labels.Length; i++)
                if ((outputs[i] > 0.5f ? 1 : 0) == labels[i]) correct++;
            return correct;
        }
        var classes = data.TargetWidth;
        for (var i = 0; i < labels.Length; i++)
        {
            if (masked && !IsReal(batch, i)) continue;
            var row = outputs.Slice(i * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
            if (best == labels[i]) correct++;
        }
        return correct;
    }

    /// <summary>The pass's values, named as in metrics.csv for <paramref name="split"/> (loss, val_loss, test_accuracy, …).</summary>
    public IEnumerable<KeyValuePair<string, double>> Results(DataSplit split = DataSplit.Train)
    {
        yield return new(MetricKey.Loss(split).Name, _examples == 0 ? double.NaN : _lossSum / _examples);
        foreach (var metric in metrics)
        {
            var value = metric switch
            {
                MetricKind.Accuracy => _targets == 0 ? double.NaN : _correct / _targets,
                MetricKind.Mae => _targets == 0 ? double.NaN : _absoluteErrorSum / _targets,
                _ => throw new ArgumentOutOfRangeException(nameof(metrics), $"no accumulator for the {SpecNames.Of(metric)} metric"),
            };
            yield return new(MetricKey.Of(metric, split).Name, value);
        }
    }
}
