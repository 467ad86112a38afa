using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Network;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Engines.Scratch;

/// <summary>
/// Backpropagation through time checked against central finite differences, in float64: for sampled entries
/// of every parameter, (L(θ + ε) − L(θ − ε)) / 2ε must match the analytic gradient to 1e-6 relative.
/// </summary>
public class GradientCheckTests
{
    public static TheoryData<string, string> Models => new()
    {
        { "simple_rnn tanh", "{type: simple_rnn, units: 5}, {type: dense, units: 1, activation: sigmoid}" },
        { "simple_rnn relu", "{type: simple_rnn, units: 9, activation: relu}, {type: dense, units: 1, activation: sigmoid}" },
        { "lstm", "{type: lstm, units: 5}, {type: dense, units: 1, activation: sigmoid}" },
        { "lstm, 9 units", "{type: lstm, units: 9}, {type: dense, units: 1, activation: sigmoid}" },
        { "gru", "{type: gru, units: 6}, {type: dense, units: 1, activation: sigmoid}" },
        { "stacked", "{type: lstm, units: 4, return_sequences: true}, {type: gru, units: 5, return_sequences: true}, {type: simple_rnn, units: 3}, {type: dense, units: 1, activation: sigmoid}" },
        { "bidirectional concat, stacked", "{type: bidirectional, layer: {type: lstm, units: 4, return_sequences: true}}, {type: bidirectional, layer: {type: gru, units: 3}}, {type: dense, units: 1, activation: sigmoid}" },
        { "bidirectional sum", "{type: bidirectional, merge_mode: sum, layer: {type: simple_rnn, units: 5}}, {type: dense, units: 1, activation: sigmoid}" },
        { "bidirectional mul", "{type: bidirectional, merge_mode: mul, layer: {type: gru, units: 4, return_sequences: true}}, {type: simple_rnn, units: 3}, {type: dense, units: 1, activation: sigmoid}" },
        { "bidirectional ave", "{type: bidirectional, merge_mode: ave, layer: {type: lstm, units: 4}}, {type: dense, units: 1, activation: sigmoid}" },
        { "dense stack", "{type: gru, units: 5}, {type: dense, units: 6, activation: tanh}, {type: dense, units: 4, activation: relu}, {type: dense, units: 1, activation: sigmoid}" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Binary_classifiers_gradients_match_finite_differences(string name, string layers)
    {
        Assert.NotEmpty(name);
        Check(ScratchSpecs.Tokens(ScratchSpecs.Layers(layers)));
    }

    [Fact]
    public void Sequences_longer_than_a_chunk_of_steps_gradients_match_finite_differences() =>
        // 37 steps: two full chunks of 16 and a partial one, in both directions.
        Check(Support.Specs.Load(Support.Specs.BasicRnn, "data.sequence_length=37", "training.batch_size=3",
            "model=[{type: embedding, input_dim: 12, output_dim: 5}, {type: bidirectional, layer: {type: lstm, units: 4, return_sequences: true}}, {type: bidirectional, merge_mode: sum, layer: {type: gru, units: 3}}, {type: dense, units: 1, activation: sigmoid}]"));

    [Fact]
    public void Per_step_softmax_outputs_gradients_match_finite_differences() =>
        Check(ScratchSpecs.PerStepClasses("{type: bidirectional, layer: {type: gru, units: 4, return_sequences: true}}",
            "{type: dense, units: 6, activation: softmax}"));

    [Fact]
    public void Regression_with_mean_squared_error_gradients_match_finite_differences() =>
        Check(ScratchSpecs.Regression("{type: lstm, units: 5, return_sequences: true}", "{type: dense, units: 3, activation: sigmoid}",
            "{type: dense, units: 1}"));

    [Fact]
    public void Softmax_under_mean_squared_error_gradients_match_finite_differences() =>
        Check(ScratchSpecs.PerStepClasses("{type: simple_rnn, units: 5, return_sequences: true}", "{type: dense, units: 6, activation: softmax}"),
            loss: LossKind.Mse);

    [Fact]
    public void Dropout_layers_gradients_match_finite_differences_with_their_masks_fixed() =>
        // Masks depend on (seed, step, layer, example) only, so every evaluation of L sees the same ones.
        Check(ScratchSpecs.Tokens("{type: dropout, rate: 0.3}", "{type: lstm, units: 5, dropout: 0.4, return_sequences: true}",
            "{type: dropout, rate: 0.5}", "{type: gru, units: 4}", "{type: dense, units: 1, activation: sigmoid}"), training: true);

    public static TheoryData<string, string> MaskedModels => new()
    {
        { "pre", "{type: lstm, units: 5}, {type: dense, units: 1, activation: sigmoid}" },
        { "post", "{type: gru, units: 4, return_sequences: true}, {type: simple_rnn, units: 3}, {type: dense, units: 1, activation: sigmoid}" },
        { "post", "{type: bidirectional, layer: {type: lstm, units: 3, return_sequences: true}}, {type: global_max_pooling}, {type: dense, units: 1, activation: sigmoid}" },
        { "pre", "{type: bidirectional, merge_mode: mul, layer: {type: gru, units: 4, return_sequences: true}}, {type: global_average_pooling}, {type: dense, units: 1, activation: sigmoid}" },
        { "pre", "{type: bidirectional, merge_mode: ave, layer: {type: simple_rnn, units: 4}}, {type: dense, units: 1, activation: sigmoid}" },
        { "post", "{type: dropout, rate: 0.2}, {type: bidirectional, merge_mode: sum, layer: {type: lstm, units: 3, return_sequences: true}}, {type: global_max_pooling}, {type: dense, units: 1, activation: sigmoid}" },
    };

    /// <summary>Masks: padding on either side, an all-padding row, every length from 0 to 10.</summary>
    [Theory]
    [MemberData(nameof(MaskedModels))]
    public void Masked_models_gradients_match_finite_differences(string padding, string layers)
    {
        var loaded = ScratchSpecs.Padded(padding, ScratchSpecs.Layers(layers));
        Check(loaded.Plan, loaded.Spec.Training.Loss, ScratchSpecs.EveryLength(loaded));
    }

    [Fact]
    public void Masks_with_holes_and_masked_per_step_losses_gradients_match_finite_differences()
    {
        var loaded = ScratchSpecs.PerStepClasses("{type: bidirectional, layer: {type: gru, units: 4, return_sequences: true}}",
            "{type: lstm, units: 3, return_sequences: true}", "{type: dense, units: 6, activation: softmax}");
        Check(ScratchSpecs.MaskedPlan(loaded), loaded.Spec.Training.Loss, Batches.FirstTraining(loaded));
    }

    private static void Check(LoadedSpec loaded, bool training = false, LossKind? loss = null) =>
        Check(loaded.Plan, loss ?? loaded.Spec.Training.Loss, Batches.FirstTraining(loaded), training);

    private static void Check(ModelPlan plan, LossKind loss, Batch batch, bool training = false)
    {
        var network = new ScratchNetwork<double>(plan, loss);
        network.Initialise(seed: 3);
        // Away from zero biases and other special points, where a wrong term could vanish.
        var random = new Random(11);
        foreach (var p in network.Parameters)
            for (var i = 0; i < p.Values.Length; i++) p.Values[i] += (random.NextDouble() - 0.5) * 0.4;
        network.ParametersChanged();

        var workspace = network.CreateWorkspace();
        var meanOver = network.LossTerms(batch);
        double Loss()
        {
            workspace.Forward(batch, 0, batch.Count, training, seed: 5, step: 2);
            return workspace.ComputeLoss(batch, meanOver) / meanOver;
        }

        workspace.ClearGradients();
        Loss();
        workspace.Backward();
        var analytic = workspace.Gradients.Select(g => g.ToArray()).ToList();

        const double epsilon = 1e-5;
        var checkedEntries = 0;
        for (var p = 0; p < network.Parameters.Count; p++)
        {
            var values = network.Parameters[p].Values;
            // The largest gradients (where errors show) and a few at random (where missing terms hide).
            var entries = Enumerable.Range(0, values.Length).OrderByDescending(i => Math.Abs(analytic[p][i])).Take(6)
                .Concat(Enumerable.Range(0, 4).Select(_ => random.Next(values.Length))).Distinct();
            foreach (var i in entries)
            {
                var original = values[i];
                values[i] = original + epsilon;
                network.ParametersChanged();
                var plus = Loss();
                values[i] = original - epsilon;
                network.ParametersChanged();
                var minus = Loss();
                values[i] = original;
                network.ParametersChanged();
                var numeric = (plus - minus) / (2 * epsilon);
                // Relative 1e-6; below ~1e-4 the finite difference's own rounding (≈ 1e-16·L/ε ≈ 1e-11) dominates,
                // so tiny gradients are held to an absolute 1e-9 instead.
                var difference = Math.Abs(numeric - analytic[p][i]);
                Assert.True(difference <= 1e-6 * (Math.Abs(numeric) + Math.Abs(analytic[p][i])) + 1e-9,
                    $"{network.Parameters[p].Name}[{i}]: backprop {analytic[p][i]:G9}, finite differences {numeric:G9} (difference {difference:G3})");
                checkedEntries++;
            }
        }
        Assert.True(checkedEntries > 20);
        Assert.Contains(analytic.SelectMany(g => g), g => Math.Abs(g) > 1e-4); // the check was not vacuous
    }
}
