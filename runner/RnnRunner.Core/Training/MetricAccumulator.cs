using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Training;

/// <summary>
/// Accumulates loss and metrics over the batches of one pass, weighting each batch by its size, so the epoch
/// value is the mean over examples whatever the last batch's size (as Keras reports it). Written once for both
/// engines: they only return outputs.
/// </summary>
public sealed class MetricAccumulator(DataSignature data, IReadOnlyList<MetricKind> metrics)
{
    private double _lossSum, _correct, _absoluteErrorSum;
    private long _examples, _targets;

    public void Add(Batch batch, BatchResult result)
    {
        _lossSum += result.Loss * batch.Count;
        _examples += batch.Count;
        var outputs = result.Outputs.Span;
        if (data.IsClassification)
        {
            var labels = batch.TargetLabels;
            _targets += labels.Length;
            if (metrics.Contains(MetricKind.Accuracy)) _correct += CountCorrect(outputs, labels);
        }
        else
        {
            var values = batch.TargetValues;
            _targets += values.Length;
            for (var i = 0; i < values.Length; i++) _absoluteErrorSum += Math.Abs(outputs[i] - values[i]);
        }
    }

    private double CountCorrect(ReadOnlySpan<float> outputs, ReadOnlySpan<int> labels)
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
