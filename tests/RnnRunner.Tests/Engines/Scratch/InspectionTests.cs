using RnnRunner.Core.Engines;
using RnnRunner.Core.Inspection;
using RnnRunner.Core.Specs;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Engines.Scratch;

/// <summary>
/// What explain computes — integrated gradients, occlusion, the prediction after each word, every gate — is the same
/// on both engines, and the integrated gradients add up as the method promises.
/// </summary>
[Collection(TorchCollection.Name)]
public class InspectionTests
{
    private const string Masked = "data.min_length=0|model=[{type: embedding, input_dim: 12, output_dim: 4, mask_zero: true}, "
        + "{type: bidirectional, merge_mode: sum, layer: {type: gru, units: 3, return_sequences: true}}, {type: lstm, units: 4}, "
        + "{type: dense, units: 1, activation: sigmoid}]";

    /// <summary>A model with weights drawn once (the scratch engine's initialisation for the seed), so both engines get the same.</summary>
    private static (Core.Loading.LoadedSpec Spec, IReadOnlyList<NamedTensor> Weights) Model(string model, int seed = 7)
    {
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, [.. model.Split('|'), $"seed={seed}"]);
        return (spec, WeightsOf(spec, seed));
    }

    private static IReadOnlyList<NamedTensor> WeightsOf(Core.Loading.LoadedSpec spec, int seed)
    {
        using var built = TraceTests.Engines.Value.For(EngineKind.Scratch).Build(spec.Plan, spec.Spec.Training, DeviceKind.Cpu, seed);
        return built.GetWeights();
    }

    /// <summary>Six of the data's ids, pre-padded to ten steps (the padding is id 0: masked where the model masks).</summary>
    private static TraceExample Padded(Core.Loading.LoadedSpec spec) =>
        TraceExample.FromIds("padded", TraceTests.Example(spec, 4).Tokens!.Where(id => id != 0).Take(6).ToArray(), 10, SequenceSide.Pre, null);

    private static ModelInspector Inspector(EngineKind engine, Core.Loading.LoadedSpec spec, IReadOnlyList<NamedTensor> weights) =>
        TraceTests.Inspector(spec, weights, engine);

    [Theory]
    [InlineData(EngineKind.Scratch, Masked)]
    [InlineData(EngineKind.Torch, Masked)]
    [InlineData(EngineKind.Scratch, "model[1]={type: lstm, units: 5}")]
    [InlineData(EngineKind.Torch, "model[1]={type: lstm, units: 5}")]
    public void Integrated_gradients_add_up_to_the_output_less_the_padding_baseline_within_one_percent(EngineKind engine, string model)
    {
        var (spec, weights) = Model(model);
        var example = Padded(spec);

        using var inspector = Inspector(engine, spec, weights);
        var gradients = inspector.IntegratedGradientsOf(example, 0)!;

        Assert.True(Math.Abs(gradients.Output - gradients.Baseline) > 1e-3, "a baseline the model cannot tell apart would test nothing");
        Assert.InRange(gradients.Gap, 0, IntegratedGradients.Tolerance);
        Assert.Equal(gradients.Output - gradients.Baseline, gradients.ByStep.Sum(a => a ?? 0), 0.01 * Math.Abs(gradients.Output - gradients.Baseline));
        Assert.All(example.Padding.Select((p, t) => (p, t)).Where(s => s.p), s => Assert.Null(gradients.ByStep[s.t]));
        Assert.Equal(6, gradients.ByStep.Count(a => a is not null));
    }

    [Fact]
    public void Integrated_gradients_of_a_softmax_class_add_up_too()
    {
        // The tickets model: text, masked, softmax over three queues; the third queue's probability explained.
        var spec = Core.Loading.SpecLoader.LoadFile(CliHarness.Example("data", "tickets.yaml"), [$"data.path={CliHarness.Example("data", "tickets.csv")}"]);
        var weights = WeightsOf(spec, 3);
        var example = TraceTests.Example(spec, 2);

        foreach (var engine in new[] { EngineKind.Scratch, EngineKind.Torch })
        {
            using var inspector = Inspector(engine, spec, weights);
            var gradients = inspector.IntegratedGradientsOf(example, 2)!;

            Assert.InRange(gradients.Gap, 0, IntegratedGradients.Tolerance);
            Assert.Equal(inspector.Trace(example).Output[2], gradients.Output, 6);
        }
    }

    [Fact]
    public void Each_word_s_attribution_is_its_share_of_a_linear_model_s_logit()
    {
        // Averaged embeddings read out by a sigmoid: the logit L is linear in the embeddings, so integrated gradients give
        // each word c_t·(f(x) − f(b))/(L(x) − L(b)), c_t being L(x) less L with that word's embedding set to the padding
        // vector — a check of which word gets what that completeness alone cannot make.
        var (spec, weights) = Model("model=[{type: embedding, input_dim: 12, output_dim: 2}, {type: global_average_pooling}, "
            + "{type: dense, units: 1, activation: sigmoid}]");
        var example = TraceTests.Example(spec, 1);
        using var inspector = Inspector(EngineKind.Torch, spec, weights);
        var gradients = inspector.IntegratedGradientsOf(example, 0)!;

        // An id the example does not use is given the padding vector and put in word t's place.
        var table = weights.Single(w => w.Name == "model[0].embeddings");
        var unused = Enumerable.Range(1, 11).First(id => !example.Tokens!.Contains(id));
        var values = table.Values.ToArray();
        Array.Copy(table.Values, 0, values, unused * 2, 2);
        using var moved = Inspector(EngineKind.Torch, spec, weights.Select(w => w.Name == table.Name ? w with { Values = values } : w).ToList());
        static double Logit(double p) => Math.Log(p / (1 - p));
        var share = (gradients.Output - gradients.Baseline) / (Logit(gradients.Output) - Logit(gradients.Baseline));
        foreach (var t in new[] { 0, 3, 5, 9 })
        {
            var tokens = (int[])example.Tokens!.Clone();
            tokens[t] = unused;
            var without = moved.Trace(example with { Tokens = tokens }).Output[0];
            Assert.Equal((Logit(gradients.Output) - Logit(without)) * share, gradients.ByStep[t]!.Value, 4);
        }
    }

    [Fact]
    public void Both_engines_explain_a_masked_stacked_model_with_the_same_numbers()
    {
        var (spec, weights) = Model(Masked);
        var example = Padded(spec);
        using var scratch = Inspector(EngineKind.Scratch, spec, weights);
        using var torch = Inspector(EngineKind.Torch, spec, weights);

        var (s, t) = (Explanation.Of(scratch, example, null), Explanation.Of(torch, example, null));
        var (sTrace, tTrace) = (scratch.Trace(example), torch.Trace(example));

        Assert.Equal(s.Final, t.Final, 5);
        Assert.Equal(s.Words.Select(w => w.After), t.Words.Select(w => w.After), Close(1e-5));
        Assert.Equal(s.Words.Select(w => w.Occlusion), t.Words.Select(w => w.Occlusion), Close(1e-5));
        Assert.Equal(s.Words.Select(w => w.Gradient!.Value), t.Words.Select(w => w.Gradient!.Value), Close(1e-5));
        Assert.Equal(["model[1]", "model[1]", "model[2]"], tTrace.Layers.Select(l => l.Path));
        Assert.Equal(sTrace.Layers.Select(l => l.Direction), tTrace.Layers.Select(l => l.Direction));
        foreach (var (a, b) in sTrace.Layers.Zip(tTrace.Layers))
            foreach (var (x, y) in a.Steps.Zip(b.Steps))
            {
                Assert.Equal((x.T, x.Skipped), (y.T, y.Skipped));
                Assert.Equal(x.Gates.Select(g => g.Name), y.Gates.Select(g => g.Name));
                Assert.Equal(x.Gates.SelectMany(g => g.Values).Select(v => (double)v), y.Gates.SelectMany(g => g.Values).Select(v => (double)v), Close(1e-5));
                Assert.Equal(x.Input.Select(v => (double)v), y.Input.Select(v => (double)v), Close(1e-5));
                Assert.Equal((x.Cell ?? []).Select(v => (double)v), (y.Cell ?? []).Select(v => (double)v), Close(1e-5));
                Assert.Equal(x.Hidden.Select(v => (double)v), y.Hidden.Select(v => (double)v), Close(1e-5));
            }
        Assert.Equal(4, sTrace.Layers[0].Steps.Count(step => step.Skipped)); // the padding is skipped on both
    }

    [Theory]
    [InlineData(EngineKind.Scratch)]
    [InlineData(EngineKind.Torch)]
    public void A_feature_sequence_is_explained_step_by_step_by_its_prefixes_and_by_leaving_each_step_out(EngineKind engine)
    {
        // The weather model: 24 hours of three normalised readings → the next hour's temperature (no words, no padding).
        var spec = Core.Loading.SpecLoader.LoadFile(CliHarness.Example("data", "weather.yaml"), [$"data.path={CliHarness.Example("data", "weather.csv")}"]);
        var weights = WeightsOf(spec, 5);
        var example = TraceTests.Example(spec, 10);
        using var inspector = Inspector(engine, spec, weights);

        var explanation = Explanation.Of(inspector, example, null);

        Assert.Equal(24, explanation.Words.Count);
        Assert.Null(explanation.Gradients); // integrated gradients walk an embedding: there is none
        TraceExample Sequence(float[] features) =>
            example with { Features = features, Steps = features.Length / 3, Padding = new bool[features.Length / 3] };
        foreach (var k in new[] { 0, 11, 23 }) // by brute force: the first k + 1 hours alone, and the day without hour k
        {
            var prefix = inspector.Trace(Sequence(example.Features![..((k + 1) * 3)])).Output[0];
            var without = inspector.Trace(Sequence(example.Features!.Where((_, i) => i / 3 != k).ToArray())).Output[0];
            Assert.Equal(prefix, explanation.Words[k].After, 5);
            Assert.Equal(explanation.Final - without, explanation.Words[k].Occlusion, 5);
        }
        Assert.Equal(explanation.Final, explanation.Words[^1].After, 6);
        var page = ExplainPage.Render(explanation, "weather", "Trained weights");
        Assert.Contains("Each heatmap is units (rows) × steps (columns)", System.Net.WebUtility.HtmlDecode(page)); // steps, not words
    }

    [Theory]
    [InlineData(EngineKind.Scratch)]
    [InlineData(EngineKind.Torch)]
    public void A_gru_trace_matches_the_hand_computed_gates_and_state(EngineKind engine)
    {
        var spec = Support.Specs.Load(Support.Specs.BasicRnn,
            "model=[{type: embedding, input_dim: 12, output_dim: 1}, {type: gru, units: 1}, {type: dense, units: 1, activation: sigmoid}]");
        // One unit: per gate (r, z, n) a scalar input weight, recurrent weight and the two biases.
        float[] w = [0.6f, -0.4f, 0.9f], u = [0.3f, 0.5f, -0.7f], bi = [0.1f, -0.2f, 0.05f], bh = [0.02f, 0.3f, -0.15f];
        NamedTensor[] weights =
        [
            new("model[0].embeddings", [12, 1], Enumerable.Range(0, 12).Select(id => id / 10f).ToArray()),
            new("model[1].weight_ih", [3, 1], w), new("model[1].weight_hh", [3, 1], u),
            new("model[1].bias_ih", [3], bi), new("model[1].bias_hh", [3], bh),
            new("model[2].weight", [1, 1], [1.5f]), new("model[2].bias", [1], [0f]),
        ];

        var trace = TraceTests.Traced(spec, weights, 0, engine);

        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        double h = 0;
        foreach (var step in trace.Layers.Single().Steps.Take(3))
        {
            var x = trace.Tokens![step.T] / 10.0;
            var r = Sigmoid(w[0] * x + bi[0] + u[0] * h + bh[0]);
            var z = Sigmoid(w[1] * x + bi[1] + u[1] * h + bh[1]);
            var n = Math.Tanh(w[2] * x + bi[2] + r * (u[2] * h + bh[2])); // the reset gate scales the recurrent term and its bias
            h = (1 - z) * n + z * h;
            Assert.Equal(["r", "z", "n"], step.Gates.Select(g => g.Name));
            Assert.Equal([r, z, n], step.Gates.Select(g => (double)g.Values.Single()), Close(1e-5));
            Assert.Equal(h, step.Hidden.Single(), 5);
        }
    }

    private static IEqualityComparer<double> Close(double tolerance) => EqualityComparer<double>.Create((a, b) => Math.Abs(a - b) <= tolerance, _ => 0);
}
