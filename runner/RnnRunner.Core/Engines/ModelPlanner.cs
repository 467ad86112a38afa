using RnnRunner.Core.Data;
using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Engines;

/// <summary>A problem found by shape inference, at a spec path.</summary>
public sealed record PlanError(string Path, string Message);

/// <summary>
/// Infers every layer's shapes from the data signature, counts parameters, and checks the architecture the way
/// Keras would fail at build time — but all at once and before any work: a stacked recurrent layer fed a
/// non-sequence, an embedding smaller than the vocabulary, an output that does not fit the loss or the targets.
/// </summary>
public static class ModelPlanner
{
    public static string TypeName(LayerSpec spec) => LayerType.Name(spec);

    public static (ModelPlan? Plan, IReadOnlyList<PlanError> Errors) Plan(ExperimentSpec spec, DataSignature data)
    {
        var errors = new List<PlanError>();
        var layers = new List<PlannedLayer>();
        if (spec.Model.Count == 0)
        {
            errors.Add(new PlanError("model", "the model has no layers"));
            return (null, errors);
        }

        // Before the first layer, token inputs are ids (one per step); features are vectors.
        var shape = new LayerShape(data.Steps, data.Input == InputKind.Tokens ? 1 : data.InputWidth) { VariableSteps = data.VariableLength };
        var tokens = data.Input == InputKind.Tokens;
        for (var i = 0; i < spec.Model.Count; i++)
        {
            var path = $"model[{i}]";
            var layer = spec.Model[i];
            var output = Infer(layer, shape, tokens, data, path, i, spec.Model, errors, out var torch, out var keras);
            layers.Add(new PlannedLayer(path, layer, shape, output, torch, keras));
            shape = output;
            tokens = false;
        }

        // A layer's error leaves the shapes after it guessed: the output's shape checks would only repeat it.
        CheckOutput(spec, data, layers, errors, shapesKnown: errors.Count == 0);
        return errors.Count == 0 ? (new ModelPlan(data, layers, spec.Training.Loss), errors) : (null, errors);
    }

    private static LayerShape Infer(LayerSpec layer, LayerShape input, bool tokenInput, DataSignature data,
        string path, int index, IReadOnlyList<LayerSpec> model, List<PlanError> errors, out long torch, out long keras)
    {
        torch = keras = 0;
        if (tokenInput && layer is not EmbeddingLayerSpec)
            errors.Add(new PlanError($"{path}.type",
                $"the data are token ids ({data.InputWidth:N0}-word vocabulary); the first layer must be an embedding, not {TypeName(layer)}"));
        if (!tokenInput && layer is EmbeddingLayerSpec)
            errors.Add(new PlanError($"{path}.type", index == 0
                ? "the data are real-valued features, not token ids: remove the embedding layer"
                : "an embedding can only be the first layer (it reads token ids)"));

        var type = LayerTypes.For(layer);
        if (type.NeedsSequence) RequireSequence(input, path, index, model, errors);
        if (layer is EmbeddingLayerSpec e && tokenInput && e.Rows < data.InputWidth)
            errors.Add(new PlanError($"{path}.input_dim",
                $"{e.Rows:N0} is smaller than the vocabulary ({data.InputWidth:N0} token ids); set it to at least {data.InputWidth:N0}, or to auto (the data's vocabulary)"));
        if (layer is EmbeddingLayerSpec { MaskZero: true } && tokenInput && !data.ZeroIsPadding)
            errors.Add(new PlanError($"{path}.mask_zero", "these data use id 0 as a real token, so masking it would hide words; mask_zero is for padded data such as imdb"));
        // libtorch's RNN offers tanh and relu only, and both engines build exactly those: say so rather than run tanh.
        var (cell, cellPath) = layer is BidirectionalLayerSpec b ? (b.Layer, $"{path}.layer") : (layer, path);
        if (cell is SimpleRnnLayerSpec { Activation: not (Activation.Tanh or Activation.Relu) } simple)
            errors.Add(new PlanError($"{cellPath}.activation", $"simple_rnn takes tanh or relu, not {SpecNames.Of(simple.Activation)}"));
        (torch, keras) = type.Parameters(layer, input.Features);
        return type.Output(layer, input);
    }

    private static void RequireSequence(LayerShape input, string path, int index, IReadOnlyList<LayerSpec> model, List<PlanError> errors)
    {
        if (input.IsSequence) return;
        var feeder = Enumerable.Range(0, index).Reverse()
            .FirstOrDefault(j => model[j] is RecurrentLayerSpec or BidirectionalLayerSpec, -1);
        if (index > 0 && model[index - 1] is GlobalMaxPoolingLayerSpec or GlobalAveragePoolingLayerSpec) feeder = -1;
        var fix = feeder >= 0
            ? $"; set return_sequences: true on model[{feeder}] ({TypeName(model[feeder])}) so it passes every time step on"
            : "";
        errors.Add(new PlanError($"{path}.type",
            $"{TypeName(model[index])} needs a sequence input (None, steps, features) but gets {input}{fix}"));
    }

    private static void CheckOutput(ExperimentSpec spec, DataSignature data, List<PlannedLayer> layers, List<PlanError> errors, bool shapesKnown)
    {
        var last = layers[^1];
        var output = last.Output;
        var loss = spec.Training.Loss;
        var lossPath = "training.loss";
        var lossName = SpecNames.Of(loss);

        if (shapesKnown && data.TargetIsSequence && !output.IsSequence)
            errors.Add(new PlanError(last.Path, $"the targets have one value per time step but the model outputs {output}; {StepsLostAt(layers)}"));
        if (shapesKnown && !data.TargetIsSequence && output.IsSequence)
            errors.Add(new PlanError(last.Path,
                $"the targets have one value per sequence but the model outputs {output}; set return_sequences: false on the last recurrent layer"));

        var activation = (last.Spec as DenseLayerSpec)?.Activation;
        var (wantUnits, wantActivation, wantLoss) = data.Target switch
        {
            TargetKind.BinaryPerSequence => (1, Activation.Sigmoid, LossKind.BinaryCrossentropy),
            TargetKind.ClassesPerSequence or TargetKind.ClassesPerStep => (data.TargetWidth, Activation.Softmax, LossKind.SparseCategoricalCrossentropy),
            _ => (data.TargetWidth, (Activation?)null, LossKind.Mse),
        };

        if (loss != wantLoss && !(loss == LossKind.Mse && data.IsClassification))
            errors.Add(new PlanError(lossPath, $"{lossName} does not fit these targets ({Describe(data)}); use {SpecNames.Of(wantLoss)}"));
        if (loss == LossKind.BinaryCrossentropy && activation != Activation.Sigmoid)
            errors.Add(new PlanError(last.Path, $"binary_crossentropy needs a final dense layer with activation sigmoid, not {ActivationName(last, activation)}"));
        if (loss == LossKind.SparseCategoricalCrossentropy && activation != Activation.Softmax)
            errors.Add(new PlanError(last.Path, $"sparse_categorical_crossentropy needs a final dense layer with activation softmax, not {ActivationName(last, activation)}"));
        if (loss == LossKind.Mse && data.IsClassification && wantActivation is { } a && activation != a)
            errors.Add(new PlanError(last.Path, $"these targets ({Describe(data)}) need a final dense layer with activation {SpecNames.Of(a)}"));
        if (shapesKnown && output.Features != wantUnits)
            errors.Add(new PlanError(last.Path,
                $"the model outputs {output.Features} values per {(data.TargetIsSequence ? "step" : "sequence")} but the targets ({Describe(data)}) need {wantUnits}"));

        foreach (var (metric, i) in spec.Training.Metrics.Select((m, i) => (m, i)))
        {
            if (metric == MetricKind.Accuracy && !data.IsClassification)
                errors.Add(new PlanError($"training.metrics[{i}]", "accuracy needs class targets; use mae for regression"));
        }
    }

    /// <summary>Where the time steps were lost: the last recurrent layer returning one output, or a pooling layer after it.</summary>
    private static string StepsLostAt(List<PlannedLayer> layers)
    {
        var collapsing = layers.FindLastIndex(l => l.Input.IsSequence && !l.Output.IsSequence);
        if (collapsing < 0) return "the data give no time steps to return";
        var layer = layers[collapsing];
        return layer.Spec switch
        {
            RecurrentLayerSpec => $"set return_sequences: true on {layer.Path} ({TypeName(layer.Spec)}) so it returns every step",
            BidirectionalLayerSpec => $"set return_sequences: true on {layer.Path}.layer so the bidirectional layer returns every step",
            _ => $"{layer.Path} ({TypeName(layer.Spec)}) reduces the steps to one: remove it",
        };
    }

    private static string ActivationName(PlannedLayer last, Activation? activation) =>
        activation is { } a ? SpecNames.Of(a) : $"a {TypeName(last.Spec)} layer";

    private static string Describe(DataSignature data) => data.Target switch
    {
        TargetKind.BinaryPerSequence => "a 0/1 label per sequence",
        TargetKind.ClassesPerSequence => $"one of {data.TargetWidth} classes per sequence",
        TargetKind.ClassesPerStep => $"one of {data.TargetWidth} classes per time step",
        TargetKind.RegressionPerSequence => $"{data.TargetWidth} real value(s) per sequence",
        _ => $"{data.TargetWidth} real value(s) per time step",
    };
}
