using RnnRunner.Core.Loading;
using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;

namespace RnnRunner.Core.Running;

/// <summary>One review's prediction: the probability of the positive class.</summary>
public sealed record TextPrediction(string Text, double PositiveProbability)
{
    public string Label => PositiveProbability >= 0.5 ? "positive" : "negative";
}

/// <summary>
/// Loads a finished text-classification run — its resolved spec, vocabulary and weights — and scores new text,
/// encoded by the same <see cref="TextEncoding"/> as at training time.
/// </summary>
public sealed class TextPredictor : IDisposable
{
    private readonly ITrainableModel _model;
    private readonly TextEncoding _encoding;
    private readonly LoadedSpec _spec;
    private readonly ImdbDataSpec _data;

    private TextPredictor(ITrainableModel model, TextEncoding encoding, LoadedSpec spec, ImdbDataSpec data)
    {
        (_model, _encoding, _spec, _data) = (model, encoding, spec, data);
    }

    public static TextPredictor Open(RunFolder folder, EngineCatalog engines)
    {
        foreach (var required in new[] { folder.SpecResolved, folder.Weights })
            if (!File.Exists(required))
                throw new DatasetException($"{folder.Path}: no {Path.GetFileName(required)} here; is this a completed run folder?");
        var spec = SpecLoader.LoadFile(folder.SpecResolved);
        if (spec.Spec.Data is not ImdbDataSpec imdb || !File.Exists(folder.Vocabulary))
            throw new DatasetException(
                $"{folder.Path}: predict scores text, but this run was trained on the {SpecSchema.UnionOf(typeof(DataSpec)).NameOf(spec.Spec.Data.GetType())} dataset");
        var model = engines.For(spec.Spec.Engine).Build(spec.Plan, spec.Spec.Training, DeviceKind.Cpu, spec.Spec.Seed);
        try
        {
            model.SetWeights(WeightsFile.Load(folder.Weights));
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return new TextPredictor(model, new TextEncoding(imdb, Vocabulary.Read(folder.Vocabulary)), spec, imdb);
    }

    public IReadOnlyList<TextPrediction> Predict(IReadOnlyList<string> texts)
    {
        var batchSize = Math.Max(1, _spec.Spec.Training.BatchSize);
        var results = new List<TextPrediction>(texts.Count);
        for (var start = 0; start < texts.Count; start += batchSize)
        {
            var chunk = texts.Skip(start).Take(batchSize).ToList();
            var ids = chunk.Select(text => _encoding.EncodeIds(text).Ids).ToList();
            // Padded to maxlen as in training; whole reviews (maxlen null) to the longest of the chunk.
            var signature = _spec.Data with { Steps = _data.Maxlen ?? Math.Max(1, ids.Max(i => i.Length)) };
            var data = SequenceDataset.FromRows(signature, ids, new int[chunk.Count], _data.Padding);
            var batch = new Batch(signature, chunk.Count);
            data.FillBatch(Enumerable.Range(0, chunk.Count).ToArray(), batch);
            var outputs = _model.Predict(batch).Span;
            for (var i = 0; i < chunk.Count; i++) results.Add(new TextPrediction(chunk[i], outputs[i]));
        }
        return results;
    }

    public void Dispose() => _model.Dispose();
}
