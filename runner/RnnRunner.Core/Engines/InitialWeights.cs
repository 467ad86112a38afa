using RnnRunner.Core.Data;
using RnnRunner.Core.Engines.Layers;

namespace RnnRunner.Core.Engines;

/// <summary>
/// A model's starting weights, drawn once from the run's seed with Keras' default initialisers (each layer type says
/// which: <see cref="LayerType.InitialWeights"/>) and loaded into whichever engine trains it — so the same spec and
/// seed start from the same point on TorchSharp and on the scratch engine, and the engines differ only in what they
/// compute, never in where they begin.
/// Why Keras' initialisers: on IMDB an LSTM reaches about 0.86 validation accuracy after one epoch with them,
/// against 0.82 at best in 10 epochs with PyTorch's defaults (measured with PyTorch 2.6 on this project's machine).
/// </summary>
public static class InitialWeights
{
    /// <summary>Every parameter of <paramref name="plan"/>, in engine-neutral names and libtorch's layout.</summary>
    public static IReadOnlyList<NamedTensor> For(ModelPlan plan, int seed)
    {
        var random = SeededRandom.For(seed, "initial-weights");
        return plan.Layers.SelectMany(layer => LayerTypes.For(layer.Spec).InitialWeights(layer, random)).ToList();
    }
}
