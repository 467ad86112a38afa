using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Inspection;

/// <summary>One word (a real step) of an explained sequence: the prediction after it, and its part in the final one.</summary>
/// <param name="After">The explained output after this word (the model on the sequence up to it).</param>
/// <param name="Occlusion">The explained output less the output with this word left out: its part, needing no gradients.</param>
/// <param name="Gradient">Its integrated-gradients attribution (null for a model that does not start with an embedding).</param>
public sealed record ExplainedWord(int T, string Word, int? Id, double After, double Occlusion, double? Gradient);

/// <summary>How complete the integrated gradients came out: their sum against f(x) − f(baseline), at how many path points.</summary>
public sealed record Completeness(double Sum, double Output, double Baseline, int Points, double Gap)
{
    public double Difference => Output - Baseline;
}

/// <summary>One quantity of a recurrent layer (h, c, or a gate) as units × words, rows in <see cref="ExplainedLayer.Order"/>.</summary>
public sealed record ExplainedQuantity(string Name, string Meaning, double Low, double High, IReadOnlyList<IReadOnlyList<double>> Units);

/// <summary>A recurrent layer (or direction) over the words, its units ordered so structure shows.</summary>
/// <param name="Order">Unit numbers, most correlated (either sign) with the prediction after each word first.</param>
/// <param name="Correlations">Each ordered unit's correlation of h with the prediction after each word.</param>
public sealed record ExplainedLayer(string Path, string Cell, string? Direction, IReadOnlyList<int> Order, IReadOnlyList<double> Correlations,
    IReadOnlyList<ExplainedQuantity> Quantities);

/// <summary>
/// What <c>rnnrunner explain</c> shows about one sequence: which output it explains, the prediction after each word,
/// each word's part by occlusion, and every recurrent layer's hidden state and gates over the words — padding left out.
/// One definition of each quantity, whichever engine computed the trace.
/// </summary>
/// <param name="Explained">What the numbers are of: "P(pos)", "P(billing)", "output".</param>
/// <param name="Engine">The engine that computed every number ("scratch", "torch").</param>
/// <param name="Gradients">How complete the integrated gradients are; null when there are none.</param>
public sealed record Explanation(string Origin, string? Label, string Explained, string Answer, double Final, IReadOnlyList<ExplainedWord> Words,
    IReadOnlyList<ExplainedLayer> Layers, int PaddingSteps, string Engine, Completeness? Gradients)
{
    /// <summary>What one step is called on the page: a word (of a text or an id sequence), or a step of feature values.</summary>
    public string Item => Words.Any(w => w.Id is not null) ? "word" : "step";

    /// <summary>Whether the explained output is a probability (a 0.5 line, crossings) rather than a value.</summary>
    public bool IsProbability => Explained.StartsWith("P(", StringComparison.Ordinal);

    /// <summary>Everything explain shows about <paramref name="example"/>, computed by <paramref name="inspector"/>'s engine.</summary>
    public static Explanation Of(ModelInspector inspector, TraceExample example, IReadOnlyList<string>? classes)
    {
        var trace = inspector.Trace(example);
        var index = Target(trace.Output, trace.OutputActivation, classes).Index;
        return Of(trace, inspector.WithEachStepLeftOut(example), inspector.IntegratedGradientsOf(example, index), classes, SpecNames.Of(inspector.Engine));
    }

    /// <summary>The explanation of a trace, its occlusion outputs and its integrated gradients (aligned with the trace's steps).</summary>
    public static Explanation Of(ModelTrace trace, IReadOnlyList<IReadOnlyList<float>?> leftOut, IntegratedGradients? gradients,
        IReadOnlyList<string>? classes, string engine)
    {
        var example = trace.Example;
        var (index, explained, answer) = Target(trace.Output, trace.OutputActivation, classes);
        var real = example.RealSteps;
        var after = trace.AfterEachStep ?? throw new ArgumentException("explain needs a token sequence (the prediction after each word)");
        var words = real.Select(t => new ExplainedWord(t, example.Words?[t] ?? $"t{t}", example.Tokens?[t], after[t]![index],
            trace.Output[index] - leftOut[t]![index], gradients?.ByStep[t])).ToList();
        var afterByWord = words.Select(w => w.After).ToArray();
        var layers = trace.Layers.Select(layer => Layer(layer, real, afterByWord)).ToList();
        var completeness = gradients is null ? null : new Completeness(gradients.Sum, gradients.Output, gradients.Baseline, gradients.Steps, gradients.Gap);
        return new Explanation(example.Origin, example.Label, explained, answer, trace.Output[index], words, layers, example.Padding.Count(p => p),
            engine, completeness);
    }

    /// <summary>Which output to explain: a sigmoid's one probability, a softmax's chosen class, a regression's first value.</summary>
    public static (int Index, string Explained, string Answer) Target(IReadOnlyList<float> output, Activation activation, IReadOnlyList<string>? classes)
    {
        if (activation == Activation.Sigmoid && output.Count == 1)
        {
            var positive = classes is { Count: 2 } ? classes[1] : "1";
            var answer = output[0] >= 0.5f ? positive : classes is { Count: 2 } ? classes[0] : "0";
            return (0, $"P({positive})", answer);
        }
        if (activation == Activation.Softmax)
        {
            var best = Enumerable.Range(0, output.Count).MaxBy(i => output[i]);
            var name = classes is { } names && names.Count == output.Count ? names[best] : best.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return (best, $"P({name})", name);
        }
        return (0, "output", output[0].ToString("G4", System.Globalization.CultureInfo.InvariantCulture));
    }

    private static ExplainedLayer Layer(TracedLayer layer, IReadOnlyList<int> real, double[] after)
    {
        var byStep = layer.Steps.ToDictionary(s => s.T);
        var steps = real.Select(t => byStep[t]).ToList();
        var units = steps.First(s => !s.Skipped).Hidden.Count;
        double[] Row(Func<TracedStep, IReadOnlyList<float>?> pick, int unit) =>
            steps.Select(s => s.Skipped ? double.NaN : (double)(pick(s)?[unit] ?? float.NaN)).ToArray();
        var hidden = Enumerable.Range(0, units).Select(u => Row(s => s.Hidden, u)).ToList();
        var correlation = hidden.Select(h => Correlation(h, after)).ToList();
        var order = Enumerable.Range(0, units).OrderByDescending(u => double.IsNaN(correlation[u]) ? -1 : Math.Abs(correlation[u])).ThenBy(u => u).ToList();
        ExplainedQuantity Quantity(string name, Func<TracedStep, IReadOnlyList<float>?> pick, bool sigmoid) =>
            new(name, Meaning(layer.Cell, name), sigmoid ? 0 : -1, 1, order.Select(u => (IReadOnlyList<double>)Row(pick, u)).ToList());
        var first = steps.First(s => !s.Skipped);
        var quantities = new List<ExplainedQuantity> { Quantity("h", s => s.Hidden, sigmoid: false) };
        if (first.Cell is not null) quantities.Add(Quantity("c", s => s.Cell, sigmoid: false));
        foreach (var (gate, k) in first.Gates.Select((g, k) => (g.Name, k)))
            quantities.Add(Quantity(gate, s => s.Skipped ? null : s.Gates[k].Values, sigmoid: IsSigmoidGate(layer.Cell, gate)));
        return new ExplainedLayer(layer.Path, layer.Cell, layer.Direction, order, order.Select(u => correlation[u]).ToList(), quantities);
    }

    private static bool IsSigmoidGate(string cell, string gate) => !cell.Contains("simple_rnn", StringComparison.Ordinal) && gate is "i" or "f" or "o" or "r" or "z";

    /// <summary>What a quantity is, in the cell's own equations.</summary>
    private static string Meaning(string cell, string name) => (cell.Contains("lstm", StringComparison.Ordinal), cell.Contains("gru", StringComparison.Ordinal), name) switch
    {
        (_, _, "h") => "h — the hidden state, what the layer passes on",
        (true, _, "c") => "c — the cell state, the LSTM's long memory",
        (true, _, "i") => "i — input gate: how much of the candidate enters c",
        (true, _, "f") => "f — forget gate: how much of c is kept",
        (true, _, "g") => "g — the candidate (tanh) written into c",
        (true, _, "o") => "o — output gate: how much of tanh(c) becomes h",
        (_, true, "r") => "r — reset gate: how much of h feeds the candidate",
        (_, true, "z") => "z — update gate: how much of the old h is kept",
        (_, true, "n") => "h̃ — the candidate state (tanh)",
        (_, _, "a") => "a — the pre-activation W·x + U·h + b; h = tanh(a)",
        _ => name,
    };

    /// <summary>Pearson's correlation of two series (NaN when either is constant or has gaps).</summary>
    public static double Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count < 2 || x.Any(double.IsNaN)) return double.NaN;
        var (mx, my) = (x.Average(), y.Average());
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }
}
