using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Inspection;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Settings;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Tracing;
using RnnRunner.Tests.Engines.Scratch;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Engines;

/// <summary>
/// mask_zero as Keras defines it, on both engines: where the mask flows, what pooling computes over it, what a
/// recurrent layer outputs at padding steps, and that padding changes nothing a masked model computes.
/// </summary>
[Collection(TorchCollection.Name)]
public class MaskingTests
{
    private static LoadedSpec Padded(string padding, params string[] layers) => ScratchSpecs.Padded(padding, layers);

    public static TheoryData<string> Engines => ["scratch", "torch"];

    private static ITrainableModel Build(string engine, ModelPlan plan, TrainingSpec training) =>
        TestRuns.Engines().For(Enum.Parse<EngineKind>(engine, ignoreCase: true)).Build(plan, training, DeviceKind.Cpu, seed: 3);

    [Fact]
    public void The_mask_flows_through_dropout_dense_and_sequences_and_stops_at_a_last_state_or_pooling()
    {
        var plan = Padded("pre", "{type: dropout, rate: 0.1}", "{type: bidirectional, layer: {type: gru, units: 4, return_sequences: true}}",
            "{type: dense, units: 3}", "{type: lstm, units: 3, return_sequences: true}", "{type: global_max_pooling}",
            "{type: dense, units: 1, activation: sigmoid}").Plan;

        Assert.Equal([true, true, true, true, true, false, false], plan.Layers.Select(l => l.Output.Masked));
        Assert.False(Padded("pre", "{type: lstm, units: 3}", "{type: dense, units: 1, activation: sigmoid}").Plan.Layers[1].Output.Masked);
        var summary = plan.Summary("m");
        Assert.Contains("(None, None, 7) masked", summary);
        Assert.Contains("Embedding, mask_zero", summary);
        Assert.Contains("GlobalMaxPooling1D", summary);
    }

    [Fact]
    public void Validate_refuses_mask_zero_where_id_0_is_a_real_word()
    {
        var errors = Support.Specs.ErrorsOf(Support.Specs.BasicRnn, "model[0].mask_zero=true");

        var error = Assert.Single(errors);
        Assert.Equal("model[0].mask_zero", error.Path);
        Assert.Contains("id 0 as a real token", error.Message);
        Assert.Empty(Support.Specs.ErrorsOf(Support.Specs.BasicRnn, "model[0].mask_zero=true", "data.min_length=3"));
    }

    [Fact]
    public void Pooling_needs_a_sequence_and_whole_reviews_show_their_steps_as_none()
    {
        var errors = Support.Specs.ErrorsOf(Support.Specs.BasicRnn,
            "model=[{type: embedding, input_dim: 12, output_dim: 4}, {type: gru, units: 4}, {type: global_average_pooling}, {type: dense, units: 1, activation: sigmoid}]");
        Assert.Contains(errors, e => e.Path == "model[2].type" && e.Message.Contains("needs a sequence input"));

        var imdb = new ImdbDataSpec { Maxlen = null };
        var data = new Core.Data.Imdb.ImdbSource(imdb, new DataEnvironment("data", "cache")).Describe();
        Assert.True(data.VariableLength);
        Assert.Equal("(None, None, 1)", new LayerShape(data.Steps, 1) { VariableSteps = data.VariableLength }.ToString());
    }

    /// <summary>
    /// Embedding row id = (id/10, −id/20), but padding's row 0 is (5, 5), so that counting it would show; the dense
    /// layer reads feature 0 (weights 1, 0), so the output is σ(pooled feature 0).
    /// </summary>
    private static NamedTensor[] PoolingWeights() =>
    [
        new("model[0].embeddings", [12, 2], Enumerable.Range(0, 12).SelectMany(id => id == 0 ? new[] { 5f, 5f } : [id / 10f, -id / 20f]).ToArray()),
        new("model[2].weight", [1, 2], [1f, 0f]),
        new("model[2].bias", [1], [0f]),
    ];

    [Theory]
    [InlineData("scratch", "global_max_pooling")]
    [InlineData("torch", "global_max_pooling")]
    [InlineData("scratch", "global_average_pooling")]
    [InlineData("torch", "global_average_pooling")]
    public void Pooling_covers_the_real_steps_only_and_gives_zeros_for_an_all_padding_row(string engine, string pooling)
    {
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, "data.min_length=0",
            $"model=[{{type: embedding, input_dim: 12, output_dim: 2, mask_zero: true}}, {{type: {pooling}}}, {{type: dense, units: 1, activation: sigmoid}}]");
        using var model = Build(engine, spec.Plan, spec.Spec.Training);
        model.SetWeights(PoolingWeights());
        // Rows: ids 3 5 1; one id 9 (after two padding steps); all padding.
        var batch = TokenBatch(spec.Plan.Data, SequenceSide.Pre, [3, 5, 1], [9], []);

        var outputs = model.Predict(batch).ToArray();

        double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        var expected = pooling == "global_max_pooling"
            ? new[] { Sigmoid(0.5), Sigmoid(0.9), Sigmoid(0) }
            : [Sigmoid((0.3 + 0.5 + 0.1) / 3), Sigmoid(0.9), Sigmoid(0)];
        Assert.Equal(expected, outputs.Select(v => (double)v), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    /// <summary>A batch of token rows, padded with 0 on <paramref name="padding"/>'s side to the longest.</summary>
    private static Batch TokenBatch(DataSignature signature, SequenceSide padding, params int[][] rows)
    {
        var data = SequenceDataset.FromRows(signature, rows, new int[rows.Length], padding);
        var batch = new Batch(signature, rows.Length);
        data.FillBatch(Enumerable.Range(0, rows.Length).ToArray(), batch);
        return batch;
    }

    [Theory]
    [InlineData("scratch", "pre", "concat")]
    [InlineData("scratch", "post", "concat")]
    [InlineData("torch", "pre", "concat")]
    [InlineData("torch", "post", "concat")]
    [InlineData("scratch", "post", "mul")]
    [InlineData("torch", "pre", "ave")]
    public void A_masked_bidirectional_layer_on_padded_reviews_equals_one_run_on_the_unpadded_tokens(string engine, string padding, string merge)
    {
        // The backward half must start at each row's last real token: reading padding first would change its state.
        var layers = new[] { $"{{type: bidirectional, merge_mode: {merge}, layer: {{type: lstm, units: 3}}}}", "{type: dense, units: 1, activation: sigmoid}" };
        var spec = Padded(padding, layers);
        using var masked = Build(engine, spec.Plan, spec.Spec.Training);
        int[][] rows = [[4, 7, 2, 9], [5], [11, 3]];
        var padded = masked.Predict(TokenBatch(spec.Plan.Data, Enum.Parse<SequenceSide>(padding, true), rows)).ToArray();

        var plain = Support.Specs.Load(Support.Specs.BasicRnn, $"model=[{{type: embedding, input_dim: 12, output_dim: 7}}, {string.Join(", ", layers)}]");
        using var unmasked = Build(engine, plain.Plan, plain.Spec.Training);
        unmasked.SetWeights(masked.GetWeights());
        for (var i = 0; i < rows.Length; i++)
        {
            var one = TokenBatch(plain.Plan.Data with { Steps = rows[i].Length }, SequenceSide.Pre, rows[i]);
            Assert.Equal(unmasked.Predict(one).Span[0], padded[i], 5);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void At_a_padding_step_one_way_layers_repeat_the_last_real_output_and_bidirectional_ones_output_zeros(string engine)
    {
        var loaded = ScratchSpecs.PerStepClasses("{type: gru, units: 4, return_sequences: true}", "{type: dense, units: 6, activation: softmax}");
        var bidirectional = ScratchSpecs.PerStepClasses("{type: bidirectional, layer: {type: gru, units: 4, return_sequences: true}}",
            "{type: dense, units: 6, activation: softmax}");
        // Post-padded: 3 real steps, then padding. One example of 9 steps, 6 classes per step.
        var tokens = new[] { 4, 2, 5, 0, 0, 0, 0, 0, 0 };

        using var oneWay = Build(engine, ScratchSpecs.MaskedPlan(loaded), loaded.Spec.Training);
        var repeated = Steps(oneWay.Predict(Batch(loaded, tokens)).ToArray());
        for (var t = 3; t < 9; t++) Assert.Equal(repeated[2], repeated[t]);

        using var both = Build(engine, ScratchSpecs.MaskedPlan(bidirectional), bidirectional.Spec.Training);
        var zeroed = Steps(both.Predict(Batch(bidirectional, tokens)).ToArray());
        var fromZeros = both.GetWeights().Single(w => w.Name == "model[2].bias").Values; // softmax(W·0 + b)
        var expected = Softmax(fromZeros);
        for (var t = 3; t < 9; t++) Assert.Equal(expected, zeroed[t], (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.NotEqual(zeroed[2], zeroed[3]);
    }

    private static Batch Batch(LoadedSpec loaded, int[] tokens)
    {
        var data = new SequenceDataset(loaded.Plan.Data, 1, tokens, null, new int[tokens.Length], null);
        var batch = new Batch(loaded.Plan.Data, 1);
        data.FillBatch([0], batch);
        return batch;
    }

    private static float[][] Steps(float[] outputs) => outputs.Chunk(6).ToArray();

    private static float[] Softmax(float[] z)
    {
        var e = z.Select(v => Math.Exp(v - z.Max())).ToArray();
        return e.Select(v => (float)(v / e.Sum())).ToArray();
    }

    [Fact]
    public void Libtorch_s_packed_sequences_compute_what_the_gathers_compute()
    {
        // bench masking times both; they must be the same function for the timing to mean anything.
        var loaded = ScratchSpecs.Padded("pre", "{type: bidirectional, layer: {type: lstm, units: 3, return_sequences: true}}",
            "{type: gru, units: 4}", "{type: dense, units: 1, activation: sigmoid}");
        var batch = ScratchSpecs.EveryLength(loaded);
        using var model = Build("torch", loaded.Plan, loaded.Spec.Training);
        var packedEngine = new RnnRunner.Engines.Torch.TorchEngine(switches: Switchboard.Current.With("RNNRUNNER_MASKED_RNN", "packed"));
        using var packed = packedEngine.Build(loaded.Plan, loaded.Spec.Training, DeviceKind.Cpu, seed: 3);
        Assert.Equal(model.Evaluate(batch).Outputs.ToArray(), packed.Evaluate(batch).Outputs.ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Trace_shows_padding_steps_as_skipped()
    {
        var spec = Padded("pre", "{type: gru, units: 2}", "{type: dense, units: 1, activation: sigmoid}");
        var data = DataSources.LoadSplits(spec.Spec.Data, 0, spec.Spec.Seed).Train;
        var example = Enumerable.Range(0, data.Count).First(i => data.LengthOf(i) is > 0 and < 10);

        var trace = Scratch.TraceTests.Traced(spec, weights: null, example);

        var steps = trace.Layers.Single().Steps;
        Assert.Equal(10 - data.LengthOf(example), steps.Count(s => s.Skipped));
        Assert.All(steps.Where(s => s.Skipped), s => Assert.Equal(0, trace.Tokens![s.T]));
        Assert.All(steps.Where(s => !s.Skipped), s => Assert.NotEqual(0, trace.Tokens![s.T]));
        var text = new StringWriter();
        TraceWriter.Write(trace, text, new TraceView(Steps: 0, ShowPadding: true));
        Assert.Contains("skipped: padding under mask_zero", text.ToString());
    }
}
