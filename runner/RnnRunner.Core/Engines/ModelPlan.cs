using System.Globalization;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Engines;

/// <summary>
/// The shape of one example's activations: (steps, features), or (features) once time is reduced. For
/// variable-length data <see cref="Steps"/> is the longest a sequence can be (what memory is sized for).
/// </summary>
public sealed record LayerShape(int? Steps, int Features)
{
    public bool IsSequence => Steps is not null;

    /// <summary>Sequences have their own lengths (each batch is as long as its longest): Keras shows the steps as None.</summary>
    public bool VariableSteps { get; init; }

    /// <summary>A padding mask travels with this sequence (from an embedding with mask_zero) and later layers honour it.</summary>
    public bool Masked { get; init; }

    /// <summary>Keras' notation with the batch dimension as None: (None, 20, 32) or (None, 32).</summary>
    public override string ToString() =>
        IsSequence ? $"(None, {(VariableSteps ? "None" : Steps)}, {Features})" : $"(None, {Features})";

    /// <summary>This shape with time reduced away: one vector per example, and no mask left to carry.</summary>
    public LayerShape WithoutTime(int features) => new(null, features);
}

/// <param name="Path">The layer's spec path, e.g. <c>model[1]</c>.</param>
/// <param name="TorchParameters">Count with libtorch's two recurrent bias vectors (b_ih and b_hh).</param>
/// <param name="KerasParameters">Count with Keras' single recurrent bias (GRU keeps two, as Keras' reset_after does).</param>
public sealed record PlannedLayer(string Path, LayerSpec Spec, LayerShape Input, LayerShape Output,
    long TorchParameters, long KerasParameters)
{
    public LayerType Type => LayerTypes.For(Spec);

    public string DisplayName => Type.DisplayName(Spec);
}

/// <summary>The validated model: every layer with its input and output shapes, ready for an engine to build.</summary>
public sealed record ModelPlan(DataSignature Data, IReadOnlyList<PlannedLayer> Layers, LossKind Loss)
{
    public LayerShape Output => Layers[^1].Output;
    public long TorchParameters => Layers.Sum(l => l.TorchParameters);
    public long KerasParameters => Layers.Sum(l => l.KerasParameters);

    /// <summary>
    /// The final layer's activation (sigmoid, softmax, or linear when the model ends in no dense layer). Both engines
    /// leave it out of the forward pass and apply it fused with the loss (stable) and when predicting.
    /// </summary>
    public Activation OutputActivation => (Layers[^1].Spec as DenseLayerSpec)?.Activation ?? Activation.Linear;

    /// <summary>A Keras-style summary table: layer (type), output shape, parameters.</summary>
    public string Summary(string name)
    {
        var rows = Layers.Select((l, i) => (
            Layer: $"{l.DisplayName}_{i} ({l.Type.Describe(l.Spec)})",
            Shape: l.Output.Masked ? $"{l.Output} masked" : l.Output.ToString(),
            Params: l.TorchParameters == l.KerasParameters
                ? N(l.TorchParameters)
                : $"{N(l.TorchParameters)} (Keras: {N(l.KerasParameters)})")).ToList();
        int w1 = Math.Max(22, rows.Max(r => r.Layer.Length) + 2), w2 = Math.Max(18, rows.Max(r => r.Shape.Length) + 2);
        var w3 = Math.Max(14, rows.Max(r => r.Params.Length));
        var rule = new string('─', w1 + w2 + w3);
        var lines = new List<string>
        {
            $"Model: \"{name}\"",
            rule,
            $"{"Layer (type)".PadRight(w1)}{"Output Shape".PadRight(w2)}{"Param #"}",
            new string('═', w1 + w2 + w3),
        };
        foreach (var r in rows) lines.Add($"{r.Layer.PadRight(w1)}{r.Shape.PadRight(w2)}{r.Params}");
        lines.Add(rule);
        lines.Add($"Total params: {N(TorchParameters)} (TorchSharp convention)");
        if (TorchParameters != KerasParameters)
            lines.Add($"Total params: {N(KerasParameters)} (Keras convention: one bias vector per recurrent layer)");
        lines.Add($"Trainable params: {N(TorchParameters)}");
        if (Layers.Any(l => l.Output.Masked))
            lines.Add("masked: padding steps (id 0) are skipped by recurrent layers and left out of pooling and per-step losses");
        lines.Add(rule);
        return string.Join(Environment.NewLine, lines);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
