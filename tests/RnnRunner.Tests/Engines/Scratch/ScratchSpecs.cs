using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;

namespace RnnRunner.Tests.Engines.Scratch;

/// <summary>Small specs for the scratch engine's tests: odd sizes on purpose, so SIMD tails run too.</summary>
internal static class ScratchSpecs
{
    /// <summary>Tokens → one binary label (binary cross-entropy).</summary>
    public static LoadedSpec Tokens(params string[] model) => Support.Specs.Load(Support.Specs.BasicRnn,
        [.. Model(model), "training.batch_size=7"]);

    /// <summary>Tokens → one class per time step (softmax, categorical cross-entropy).</summary>
    public static LoadedSpec PerStepClasses(params string[] model) => Support.Specs.Load(Support.Specs.BasicRnn,
        [.. Model(model), "training.batch_size=6", "training.loss=sparse_categorical_crossentropy",
         "data={dataset: delayed_echo, vocabulary_size: 6, delay: 2, sequence_length: 9, train_samples: 60, test_samples: 20}",
         "model[0].input_dim=6"]);

    /// <summary>Real-valued features → a value per time step (mean squared error).</summary>
    public static LoadedSpec Regression(params string[] model) => Support.Specs.Load(Support.Specs.BasicRnn,
        [.. Model(model, firstIsEmbedding: false), "training.batch_size=5", "training.loss=mse", "training.metrics=[mae]",
         "data={dataset: noisy_sine, noise: 0.1, sequence_length: 8, train_samples: 60, test_samples: 20}"]);

    private static IEnumerable<string> Model(string[] layers, bool firstIsEmbedding = true)
    {
        var all = firstIsEmbedding ? ["{type: embedding, input_dim: 12, output_dim: 7}", .. layers] : layers;
        return [$"model=[{string.Join(", ", all)}]"];
    }

    /// <summary>
    /// Variable-length counting_sentiment (0 to 10 real tokens, padded with id 0 on <paramref name="padding"/>'s
    /// side) under an embedding with mask_zero.
    /// </summary>
    public static LoadedSpec Padded(string padding, params string[] layers) => Support.Specs.Load(Support.Specs.BasicRnn,
        ["data.min_length=0", $"data.padding={padding}", "training.batch_size=9",
         $"model=[{string.Join(", ", ["{type: embedding, input_dim: 12, output_dim: 7, mask_zero: true}", .. layers])}]"]);

    /// <summary>
    /// <paramref name="loaded"/>'s model with mask_zero switched on over data whose id 0 is then treated as padding
    /// wherever it occurs — masks with holes in the middle, which skipping must handle too.
    /// </summary>
    public static ModelPlan MaskedPlan(LoadedSpec loaded)
    {
        var embedding = (EmbeddingLayerSpec)loaded.Spec.Model[0];
        var spec = loaded.Spec with { Model = [embedding with { MaskZero = true }, .. loaded.Spec.Model.Skip(1)] };
        var (plan, errors) = ModelPlanner.Plan(spec, loaded.Plan.Data with { ZeroIsPadding = true });
        Assert.Empty(errors);
        return plan!;
    }

    /// <summary>A training batch of <paramref name="loaded"/>'s padded data holding rows of every length, an all-padding one included.</summary>
    public static Batch EveryLength(LoadedSpec loaded)
    {
        var train = DataSources.LoadSplits(loaded.Spec.Data, 0.2, loaded.Spec.Seed).Train;
        var rows = Enumerable.Range(0, train.Count).GroupBy(train.LengthOf).OrderBy(g => g.Key).Select(g => g.First()).ToArray();
        Assert.Equal(0, train.LengthOf(rows[0]));
        var batch = new Batch(train.Signature, rows.Length);
        train.FillBatch(rows, batch);
        return batch;
    }

    /// <summary>"{…}, {…}" written as one string → the layer list, one flow mapping per layer.</summary>
    public static string[] Layers(string layers) => layers.Split(", {").Select((l, i) => i == 0 ? l : "{" + l).ToArray();
}
