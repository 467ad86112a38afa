using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Inspection;

/// <summary>
/// Looks inside a model on any engine: the recurrent layers' insides through the engine's <see cref="IRecurrentTracer"/>;
/// everything else — the output, the prediction after each word, occlusion, integrated gradients — through the engine's
/// own <see cref="ITrainableModel"/> (Predict and OutputGradients), in inference mode. So both engines answer the same
/// questions with one definition of each, and a test can hold their answers side by side.
/// </summary>
public sealed class ModelInspector : IDisposable
{
    private readonly IEngine _engine;
    private readonly LoadedSpec _loaded;
    private readonly IReadOnlyList<NamedTensor> _weights;
    private readonly Dictionary<int, ITrainableModel> _models = []; // by sequence length: built once, asked many times

    /// <param name="weights">Trained weights (from a run folder), or null for the spec's seeded initialisation on this engine.</param>
    public ModelInspector(IEngine engine, LoadedSpec loaded, IReadOnlyList<NamedTensor>? weights)
    {
        (_engine, _loaded) = (engine, loaded);
        if (weights is null)
        {
            using var initial = engine.Build(loaded.Plan, loaded.Spec.Training, DeviceKind.Cpu, loaded.Spec.Seed);
            weights = initial.GetWeights();
        }
        _weights = weights;
    }

    /// <summary>The engine that computes every number.</summary>
    public EngineKind Engine => _engine.Kind;

    /// <summary>The example through the model: every recurrent layer step by step, the output, the prediction after each word.</summary>
    public ModelTrace Trace(TraceExample example)
    {
        var plan = PlanFor(example.Steps);
        var layers = RecurrentTracers.For(_engine).Trace(plan, _weights, example);
        var output = Predict(ModelFor(example.Steps), plan.Data, 1, example.Tokens, example.Features)[0];
        return new ModelTrace(example, layers, output, plan.OutputActivation, _loaded.Plan.Output.IsSequence ? null : AfterEachStep(example));
    }

    /// <summary>
    /// The output on every prefix of the real tokens: the prefix ending at each real step, padded back to the example's
    /// length on the data's side where the example was padded (as the model would receive so short a text), or fed as
    /// it is where it was not. Aligned with the steps; null at padding.
    /// </summary>
    private IReadOnlyList<IReadOnlyList<float>?> AfterEachStep(TraceExample example)
    {
        if (example.Features is { } features) // no padding: each prefix is a sequence of its own length
            return Enumerable.Range(1, example.Steps).Select(k =>
                (IReadOnlyList<float>?)Predict(ModelFor(k), PlanFor(k).Data, 1, null, features[..(k * Width)])[0]).ToList();
        var ids = RealIds(example);
        return ByRealStep(example, Outputs(example, Enumerable.Range(1, ids.Length).Select(k => ids[..k]).ToList()));
    }

    /// <summary>
    /// Occlusion: the output with each real token left out in turn (the rest closing up, padded as the example was) —
    /// a word's part in the prediction that needs no gradients. Aligned with the steps; null at padding.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<float>?> WithEachStepLeftOut(TraceExample example)
    {
        if (example.Features is { } features) // every step left out in turn: one batch of sequences a step shorter
        {
            var steps = example.Steps;
            var shorter = Enumerable.Range(0, steps).SelectMany(k => features.Where((_, i) => i / Width != k)).ToArray();
            return Predict(ModelFor(steps - 1), PlanFor(steps - 1).Data, steps, null, shorter).Cast<IReadOnlyList<float>?>().ToList();
        }
        var ids = RealIds(example);
        return ByRealStep(example, Outputs(example, Enumerable.Range(0, ids.Length).Select(k => ids.Where((_, j) => j != k).ToArray()).ToList()));
    }

    /// <summary>
    /// Integrated gradients of output <paramref name="output"/> with respect to the embedding, the path integral taken at
    /// more points until the attributions are complete to 1 % (or the schedule ends); null for a model that does not
    /// start with an embedding or that outputs a row per step.
    /// </summary>
    public IntegratedGradients? IntegratedGradientsOf(TraceExample example, int output)
    {
        if (example.Tokens is null || _loaded.Plan.Layers[0].Spec is not EmbeddingLayerSpec || _loaded.Plan.Output.IsSequence) return null;
        IntegratedGradients? result = null;
        foreach (var points in IntegratedGradients.Schedule)
        {
            result = Integrate(example, output, points);
            if (result.Gap <= IntegratedGradients.Tolerance) break;
        }
        return result;
    }

    /// <summary>
    /// One quadrature of <paramref name="points"/> points: each path point's gradient, at each real step, dotted with
    /// that step's move from the baseline (e − b), averaged over the points (midpoint rule).
    /// </summary>
    private IntegratedGradients Integrate(TraceExample example, int output, int points)
    {
        var path = PathThrough(example, points);
        using var model = Build(path.Plan, path.Weights);
        var real = example.RealSteps;
        var (n, width, table) = (real.Count, path.Width, path.Table.Values);
        var attribution = new double[n];
        const int Chunk = 64;
        for (var first = 0; first < points; first += Chunk)
        {
            var count = Math.Min(Chunk, points - first);
            var batch = SequenceDataset.Unlabelled(path.Plan.Data, count, path.Sequences.Skip(first).Take(count).SelectMany(s => s).ToArray(), null).AllInOneBatch();
            var gradient = model.OutputGradients(batch, output).Single(g => g.Name == path.Table.Name).Values;
            for (var j = first; j < first + count; j++)
                for (var k = 0; k < n; k++)
                {
                    var word = table.AsSpan(example.Tokens![real[k]] * width, width);
                    var g = gradient.AsSpan(path.Row(j, k) * width, width);
                    for (var e = 0; e < width; e++) attribution[k] += (word[e] - table[e]) * (double)g[e] / points; // row 0: the baseline
                }
        }
        var fx = Predict(model, path.Plan.Data, 1, example.Tokens, null)[0][output];
        var fb = Predict(model, path.Plan.Data, 1, path.Sequences[points], null)[0][output];
        var byStep = new double?[example.Steps];
        for (var k = 0; k < n; k++) byStep[real[k]] = attribution[k];
        return new IntegratedGradients(byStep, points, fx, fb);
    }

    /// <summary>
    /// The straight path from the baseline to the example as a model can read it. Each interpolated step needs an
    /// embedding vector of its own, so the table grows by a row per (path point, real step) — the last n rows the
    /// baseline — and the sequence of point j looks up its rows: the engine's gradient of those rows is then exactly
    /// ∂f/∂e at that step and point, with no change to either engine. Padding keeps id 0, so a mask still skips it.
    /// </summary>
    /// <param name="Table">The trained embedding table (row 0: the padding embedding, the baseline).</param>
    /// <param name="Sequences">Point j's ids (j = points: the baseline), each the example's length.</param>
    private sealed record InterpolationPath(ModelPlan Plan, IReadOnlyList<NamedTensor> Weights, NamedTensor Table, int Width, int Vocabulary, int RealSteps,
        IReadOnlyList<int[]> Sequences)
    {
        public int Row(int point, int step) => Vocabulary + point * RealSteps + step;
    }

    private InterpolationPath PathThrough(TraceExample example, int points)
    {
        var embedding = _loaded.Plan.Layers[0];
        var table = _weights.Single(w => w.Name == $"{embedding.Path}.embeddings");
        var (vocabulary, width) = (table.Shape[0], table.Shape[1]);
        var real = example.RealSteps;
        var n = real.Count;
        var rows = vocabulary + (points + 1) * n;
        var values = new float[rows * width];
        table.Values.CopyTo(values, 0);
        var baseline = table.Values.AsSpan(0, width);
        for (var j = 0; j <= points; j++)
        {
            var alpha = j == points ? 0 : IntegratedGradients.Alpha(j, points);
            for (var k = 0; k < n; k++)
            {
                var word = table.Values.AsSpan(example.Tokens![real[k]] * width, width);
                var row = values.AsSpan((vocabulary + j * n + k) * width, width);
                for (var e = 0; e < width; e++) row[e] = (float)(baseline[e] + alpha * (word[e] - baseline[e]));
            }
        }
        var plan = PlanFor(example.Steps);
        plan = plan with { Layers = [plan.Layers[0] with { Spec = (EmbeddingLayerSpec)embedding.Spec with { InputDim = rows } }, .. plan.Layers.Skip(1)] };
        var weights = _weights.Select(w => w.Name == table.Name ? new NamedTensor(table.Name, [rows, width], values) : w).ToList();
        var sequences = Enumerable.Range(0, points + 1).Select(j =>
        {
            var tokens = (int[])example.Tokens!.Clone();
            for (var k = 0; k < n; k++) tokens[real[k]] = vocabulary + j * n + k;
            return tokens;
        }).ToList();
        return new InterpolationPath(plan, weights, table, width, vocabulary, n, sequences);
    }

    /// <summary>Features per step of a feature sequence.</summary>
    private int Width => _loaded.Plan.Data.InputWidth;

    private static int[] RealIds(TraceExample example)
    {
        var tokens = example.Tokens ?? throw new ArgumentException("this needs a sequence of tokens (words or ids)");
        return example.RealSteps.Select(t => tokens[t]).ToArray();
    }

    private static IReadOnlyList<IReadOnlyList<float>?> ByRealStep(TraceExample example, List<IReadOnlyList<float>> outputs)
    {
        var real = example.RealSteps;
        var byStep = new IReadOnlyList<float>?[example.Steps];
        for (var k = 0; k < real.Count; k++) byStep[real[k]] = outputs[k];
        return byStep;
    }

    /// <summary>
    /// The model's output for each of <paramref name="rows"/> (token sequences shorter than the example), padded to the
    /// example's length on its side where the example was padded — in batches of 64, so a 500-step review costs a pass
    /// per 64 rows — or fed unpadded, one at a time, where it was not (a batch would pad the shorter rows with an id
    /// that may be a word).
    /// </summary>
    private List<IReadOnlyList<float>> Outputs(TraceExample example, List<int[]> rows)
    {
        var padded = example.Padding.Any(p => p);
        var plan = PlanFor(example.Steps);
        var data = SequenceDataset.UnlabelledRows(plan.Data, rows, example.Side);
        var chunk = padded ? 64 : 1;
        var model = ModelFor(example.Steps);
        var batch = new Batch(plan.Data, chunk);
        var outputs = new List<IReadOnlyList<float>>();
        for (var first = 0; first < rows.Count; first += chunk)
        {
            var indices = Enumerable.Range(first, Math.Min(chunk, rows.Count - first)).ToArray();
            data.FillBatch(indices, batch, toLongest: !padded);
            outputs.AddRange(Rows(model.Predict(batch), indices.Length));
        }
        return outputs;
    }

    /// <summary>The outputs for <paramref name="count"/> whole sequences of the plan's length (ids or features), one row each.</summary>
    private static List<IReadOnlyList<float>> Predict(ITrainableModel model, DataSignature signature, int count, int[]? tokens, float[]? features) =>
        Rows(model.Predict(SequenceDataset.Unlabelled(signature, count, tokens, features).AllInOneBatch()), count);

    private static List<IReadOnlyList<float>> Rows(ReadOnlyMemory<float> outputs, int count)
    {
        var width = outputs.Length / count;
        return Enumerable.Range(0, count).Select(i => (IReadOnlyList<float>)outputs.Slice(i * width, width).ToArray()).ToList();
    }

    /// <summary>The model with the inspected weights for sequences of <paramref name="steps"/> steps.</summary>
    private ITrainableModel ModelFor(int steps)
    {
        if (!_models.TryGetValue(steps, out var model)) _models[steps] = model = Build(PlanFor(steps), _weights);
        return model;
    }

    public void Dispose()
    {
        foreach (var model in _models.Values) model.Dispose();
        _models.Clear();
    }

    private ITrainableModel Build(ModelPlan plan, IReadOnlyList<NamedTensor> weights)
    {
        var model = _engine.Build(plan, _loaded.Spec.Training, DeviceKind.Cpu, _loaded.Spec.Seed);
        try
        {
            model.SetWeights(weights);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The model for sequences of <paramref name="steps"/> steps (every sequence shape set to that length).</summary>
    private ModelPlan PlanFor(int steps)
    {
        var plan = _loaded.Plan;
        return plan with
        {
            Data = plan.Data with { Steps = steps },
            Layers = plan.Layers.Select(l => l with
            {
                Input = l.Input.IsSequence ? l.Input with { Steps = steps } : l.Input,
                Output = l.Output.IsSequence ? l.Output with { Steps = steps } : l.Output,
            }).ToList(),
        };
    }
}
