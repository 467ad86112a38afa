using System.Numerics;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Layers;
using RnnRunner.Engines.Scratch.Maths;

namespace RnnRunner.Engines.Scratch.Network;

/// <summary>
/// The spec's layers on the scratch engine, generic over the number type: float to train, double for
/// gradient checks. Parameters live here; everything a pass writes lives in a <see cref="NetworkWorkspace{T}"/>
/// (one per shard of a batch), so shards run in parallel on the same parameters.
/// </summary>
internal sealed class ScratchNetwork<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ModelPlan _plan;

    public ScratchNetwork(ModelPlan plan, LossKind loss)
    {
        _plan = plan;
        Data = plan.Data;
        Loss = loss;
        var layers = plan.Layers.ToList();
        var engine = typeof(ScratchNetwork<>).Assembly;
        if (layers[0].Spec is EmbeddingLayerSpec)
        {
            // Token ids in, vectors out: the one layer that is not a SequenceLayer, so it is kept apart.
            Embedding = LayerModules.Create<EmbeddingLayer<T>>(engine, layers[0], typeof(T));
            layers.RemoveAt(0);
        }
        Layers = layers.Select(l => LayerModules.Create<SequenceLayer<T>>(engine, l, typeof(T))).ToList();
        // The plan's output activation is applied by the loss (fused, stable) and by Predict, not by the layer.
        if (Layers.Count > 0 && Layers[^1] is DenseLayer<T> last) last.ApplyActivation = false;
        OutputActivation = plan.OutputActivation;
        OutputShape = plan.Output;
        Parameters = (Embedding is null ? [] : Embedding.Parameters).Concat(Layers.SelectMany(l => l.Parameters)).ToList();
    }

    public DataSignature Data { get; }
    public LossKind Loss { get; }
    public EmbeddingLayer<T>? Embedding { get; }
    public IReadOnlyList<SequenceLayer<T>> Layers { get; }
    public IReadOnlyList<Parameter<T>> Parameters { get; }
    public Activation OutputActivation { get; }
    public LayerShape OutputShape { get; }

    /// <summary>Outputs per example in a batch of <paramref name="steps"/> steps: (out) or (steps, out).</summary>
    public int OutputsPerExample(int steps) => (OutputShape.IsSequence ? steps : 1) * OutputShape.Features;

    /// <summary>Whether per-step outputs carry a padding mask, so losses and metrics skip id-0 steps.</summary>
    public bool MasksOutputSteps => OutputShape is { IsSequence: true, Masked: true };

    /// <summary>The run's starting weights: the same, for a given seed, on either engine (see <see cref="InitialWeights"/>).</summary>
    public void Initialise(int seed) => SetWeights(InitialWeights.For(_plan, seed));

    public void ParametersChanged()
    {
        Embedding?.ParametersChanged();
        foreach (var layer in Layers) layer.ParametersChanged();
    }

    public NetworkWorkspace<T> CreateWorkspace() => new(this);

    /// <summary>
    /// How many terms <paramref name="batch"/> averages its loss over (as libtorch's mean reduction does): every
    /// target, or under a padding mask every target on a real step (Keras' masked mean).
    /// </summary>
    public double LossTerms(Batch batch)
    {
        double targets = (double)batch.Count * Data.TargetsPerExample;
        if (MasksOutputSteps)
        {
            var perStep = Data.TargetsPerExample / Data.Steps; // 1 label or a vector of TargetWidth values
            targets = 0;
            foreach (var id in batch.TokenIds) if (id != 0) targets += perStep;
        }
        return Loss == LossKind.Mse && Data.IsClassification ? targets * Data.TargetWidth : targets;
    }

    public IReadOnlyList<NamedTensor> GetWeights() =>
        Parameters.Select(p => new NamedTensor(p.Name, (int[])p.Shape.Clone(), p.Values.Select(float.CreateChecked).ToArray())).ToList();

    public void SetWeights(IReadOnlyList<NamedTensor> weights)
    {
        var byName = NamedTensor.Match(Parameters.Select(p => (p.Name, (IReadOnlyList<long>)p.Shape.Select(d => (long)d).ToList())), weights);
        foreach (var p in Parameters)
        {
            var values = byName[p.Name].Values;
            for (var i = 0; i < values.Length; i++) p.Values[i] = T.CreateChecked(values[i]);
        }
        ParametersChanged();
    }
}
