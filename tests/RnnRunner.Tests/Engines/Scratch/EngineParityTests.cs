using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch;
using RnnRunner.Engines.Torch;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Engines.Scratch;

/// <summary>
/// The scratch engine computes what libtorch computes: with the same weights loaded into both engines, outputs,
/// loss and every gradient agree on random batches. Gradients are read through the public interface with one
/// SGD step at learning rate 1000 (θ' = θ − 1000·g, so g = (θ − θ') / 1000 keeps float32's precision).
/// </summary>
[Collection(TorchCollection.Name)]
public class EngineParityTests
{
    public static TheoryData<string> Models => new()
    {
        "{type: simple_rnn, units: 9}, {type: dense, units: 1, activation: sigmoid}",
        "{type: simple_rnn, units: 8, activation: relu}, {type: dense, units: 1, activation: sigmoid}",
        "{type: lstm, units: 16}, {type: dense, units: 1, activation: sigmoid}",
        "{type: gru, units: 11}, {type: dense, units: 1, activation: sigmoid}",
        "{type: lstm, units: 8, return_sequences: true}, {type: gru, units: 5}, {type: dense, units: 3, activation: tanh}, {type: dense, units: 1, activation: sigmoid}",
        "{type: bidirectional, layer: {type: lstm, units: 8, return_sequences: true}}, {type: bidirectional, merge_mode: sum, layer: {type: gru, units: 4}}, {type: dense, units: 1, activation: sigmoid}",
        "{type: bidirectional, merge_mode: mul, layer: {type: simple_rnn, units: 6}}, {type: dense, units: 1, activation: sigmoid}",
        "{type: bidirectional, merge_mode: ave, layer: {type: gru, units: 6}}, {type: dense, units: 1, activation: sigmoid}",
    };

    /// <summary>
    /// Float32 tolerance: 1e-5 of a tensor's largest entry, plus 1e-8 absolute. Each engine sums in its own
    /// order, so results differ in the last bits of the terms summed; where a gradient is a sum of terms of
    /// ~0.05 that cancel to ~1e-4, float32's 6e-8 rounding of the terms leaves ~1e-8 that no order avoids.
    /// </summary>
    private const double Tolerance = 1e-5, Floor = 1e-8;

    [Theory]
    [MemberData(nameof(Models))]
    public void Both_engines_compute_the_same_outputs_loss_and_gradients(string layers) =>
        AssertParity(ScratchSpecs.Tokens(ScratchSpecs.Layers(layers)));

    [Fact]
    public void Both_engines_agree_on_per_step_softmax_outputs() =>
        AssertParity(ScratchSpecs.PerStepClasses("{type: bidirectional, layer: {type: lstm, units: 5, return_sequences: true}}",
            "{type: dense, units: 6, activation: softmax}"));

    [Fact]
    public void Both_engines_agree_on_regression_from_features() =>
        AssertParity(ScratchSpecs.Regression("{type: gru, units: 7, return_sequences: true}", "{type: dense, units: 1}"));

    [Theory]
    [MemberData(nameof(GradientCheckTests.MaskedModels), MemberType = typeof(GradientCheckTests))]
    public void Both_engines_agree_under_padding_masks(string padding, string layers)
    {
        var loaded = ScratchSpecs.Padded(padding, ScratchSpecs.Layers(layers));
        AssertParity(loaded.Plan, loaded.Spec.Training, ScratchSpecs.EveryLength(loaded));
    }

    [Fact]
    public void Both_engines_agree_on_masks_with_holes_and_masked_per_step_losses()
    {
        var loaded = ScratchSpecs.PerStepClasses("{type: bidirectional, layer: {type: gru, units: 4, return_sequences: true}}",
            "{type: lstm, units: 3, return_sequences: true}", "{type: dense, units: 6, activation: softmax}");
        AssertParity(ScratchSpecs.MaskedPlan(loaded), loaded.Spec.Training, Batches.FirstTraining(loaded));
    }

    private static void AssertParity(LoadedSpec loaded) => AssertParity(loaded.Plan, loaded.Spec.Training, Batches.FirstTraining(loaded));

    private static void AssertParity(ModelPlan plan, TrainingSpec trainingSpec, Batch batch)
    {
        // Dropout draws differ between the engines by design; parity is about the same function.
        plan = plan with { Layers = plan.Layers.Select(l => l.Spec is DropoutLayerSpec d ? l with { Spec = d with { Rate = 0 } } : l).ToList() };
        var training = trainingSpec with { Optimizer = new SgdOptimizerSpec { LearningRate = 1000 } };
        using var scratchEngine = new ScratchEngine(threads: 2);
        using var scratch = scratchEngine.Build(plan, training, DeviceKind.Cpu, seed: 4);
        using var torch = new TorchEngine().Build(plan, training, DeviceKind.Cpu, seed: 4);
        torch.SetWeights(scratch.GetWeights());

        var (s, t) = (scratch.Evaluate(batch), torch.Evaluate(batch));
        AssertClose("loss", [t.Loss], [s.Loss]);
        AssertClose("outputs", t.Outputs.ToArray().Select(v => (double)v).ToArray(), s.Outputs.ToArray().Select(v => (double)v).ToArray());

        var before = scratch.GetWeights();
        scratch.TrainStep(batch);
        torch.TrainStep(batch);
        var (afterScratch, afterTorch) = (scratch.GetWeights().ToDictionary(w => w.Name), torch.GetWeights().ToDictionary(w => w.Name));
        foreach (var w in before)
        {
            double[] Gradient(NamedTensor after) => w.Values.Select((v, i) => ((double)v - after.Values[i]) / 1000).ToArray();
            AssertClose(w.Name, Gradient(afterTorch[w.Name]), Gradient(afterScratch[w.Name]));
        }
    }

    private static void AssertClose(string what, double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = Math.Max(expected.Max(Math.Abs), 1e-6);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance * scale + Floor,
                $"{what}[{i}]: libtorch {expected[i]:G9}, scratch {actual[i]:G9} (largest |value| {scale:G3})");
    }
}

/// <summary>The scratch engine's optimizers follow libtorch's update rules: several steps from the same start land on the same weights.</summary>
[Collection(TorchCollection.Name)]
public class OptimizerParityTests
{
    [Theory]
    [InlineData("{type: sgd, learning_rate: 0.5}")]
    [InlineData("{type: sgd, learning_rate: 0.1, momentum: 0.9}")]
    [InlineData("{type: sgd, learning_rate: 0.1, momentum: 0.9, nesterov: true}")]
    [InlineData("{type: rmsprop, learning_rate: 0.01}")]
    [InlineData("{type: rmsprop, learning_rate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 0.001}")]
    [InlineData("{type: adam, learning_rate: 0.01}")]
    [InlineData("{type: adam, learning_rate: 0.02, beta_1: 0.8, beta_2: 0.99, epsilon: 0.0001}")]
    public void Both_engines_take_the_same_optimizer_steps(string optimizer)
    {
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, $"training.optimizer={optimizer}", "training.clip_grad_norm=0.5",
            "model[1]={type: gru, units: 6}");
        var engines = TestRuns.Engines(); // not disposed: it hands out the tests' shared scratch engine
        using var torch = engines.For(EngineKind.Torch).Build(spec.Plan, spec.Spec.Training, DeviceKind.Cpu, seed: 9);
        using var scratch = engines.For(EngineKind.Scratch).Build(spec.Plan, spec.Spec.Training, DeviceKind.Cpu, seed: 9);
        var batch = Batches.FirstTraining(spec, 24);

        for (var step = 0; step < 4; step++)
        {
            torch.TrainStep(batch);
            scratch.TrainStep(batch);
        }

        var expected = torch.GetWeights().ToDictionary(w => w.Name);
        foreach (var w in scratch.GetWeights())
        {
            var scale = Math.Max(1e-3, expected[w.Name].Values.Max(v => Math.Abs(v)));
            for (var i = 0; i < w.Values.Length; i++)
                Assert.True(Math.Abs(expected[w.Name].Values[i] - w.Values[i]) <= 1e-4 * scale,
                    $"{w.Name}[{i}]: libtorch {expected[w.Name].Values[i]:G9}, scratch {w.Values[i]:G9}");
        }
    }
}
