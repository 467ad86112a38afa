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
        [.. Model(model), "training.batch_size=6", "training.loss=categorical_crossentropy",
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

    /// <summary>"{…}, {…}" written as one string → the layer list, one flow mapping per layer.</summary>
    public static string[] Layers(string layers) => layers.Split(", {").Select((l, i) => i == 0 ? l : "{" + l).ToArray();
}
