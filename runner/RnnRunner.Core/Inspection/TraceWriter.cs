using System.Globalization;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Inspection;

/// <summary>What of a trace to print, and how.</summary>
/// <param name="MaxValues">Values shown per vector before "…".</param>
/// <param name="Steps">How many steps to show in each layer (padding aside unless shown); 0: every step.</param>
/// <param name="ShowPadding">Show padding steps too (greyed out by "padding" in the text).</param>
/// <param name="Ids">Show token ids beside the words.</param>
/// <param name="Classes">The class names of a classifier, when known.</param>
public sealed record TraceView(int MaxValues = 8, int Steps = 5, bool ShowPadding = false, bool Ids = false, IReadOnlyList<string>? Classes = null);

/// <summary>
/// Prints a <see cref="ModelTrace"/> as text: the example and its words, the prediction after each word (and where it
/// crossed 0.5), then each recurrent layer step by step — input, every gate, the cell state, h_t.
/// </summary>
public static class TraceWriter
{
    public static void Write(ModelTrace trace, TextWriter output, TraceView? view = null)
    {
        view ??= new TraceView();
        var example = trace.Example;
        var shown = Shown(example, view);
        var paddingSteps = example.Padding.Count(p => p);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{char.ToUpperInvariant(example.Origin[0])}{example.Origin[1..]}: {example.Steps - paddingSteps} step(s)")
            + (paddingSteps == 0 ? "" : $" after {paddingSteps} padding step(s) ({(view.ShowPadding ? "shown" : "left out; --padding shows them")})")
            + (example.Label is { } label ? $"; true label: {label}." : "."));
        if (example.Words is not null)
            output.WriteLine("words: " + string.Join(' ', example.RealSteps.Select(t => Word(example, t, view))));
        if (trace.AfterEachStep is { } after) WritePredictions(trace, after, output, view);
        foreach (var layer in trace.Layers)
        {
            output.WriteLine();
            var direction = layer.Direction is null ? "" : $", {layer.Direction} direction";
            output.WriteLine($"{layer.Path} {layer.Cell}{direction}" + (shown.Count < example.Steps - (view.ShowPadding ? 0 : paddingSteps) ? shown.Count == 1 ? " (the first step)" : $" (the first {shown.Count} steps)" : ""));
            foreach (var step in layer.Steps.Where(s => shown.Contains(s.T)))
            {
                var word = example.Words is null ? "" : $"  {Word(example, step.T, view)}";
                if (step.Skipped)
                {
                    output.WriteLine($"  t={step.T}{word}  skipped: padding under mask_zero (state carried over)");
                    continue;
                }
                output.WriteLine($"  t={step.T}{word}{(example.Padding[step.T] ? "  (padding)" : "")}");
                Line(output, "x_t", step.Input, view.MaxValues);
                foreach (var (name, values) in step.Gates) Line(output, Label(layer.Cell, name), values, view.MaxValues);
                if (step.Cell is { } c) Line(output, "c_t", c, view.MaxValues);
                Line(output, "h_t", step.Hidden, view.MaxValues);
            }
        }
        output.WriteLine();
        output.WriteLine($"output ({SpecNames.Of(trace.OutputActivation)}): {Vector(trace.Output, view.MaxValues)}{Verdict(trace.Output, view.Classes)}");
    }

    /// <summary>The steps shown in the layers: the real ones (padding too when asked), the first <see cref="TraceView.Steps"/>.</summary>
    public static IReadOnlySet<int> Shown(TraceExample example, TraceView view)
    {
        var steps = Enumerable.Range(0, example.Steps).Where(t => view.ShowPadding || !example.Padding[t]);
        return (view.Steps > 0 ? steps.Take(view.Steps) : steps).ToHashSet();
    }

    /// <summary>The model's output after each word, and for a one-output classifier every step where it crossed 0.5.</summary>
    private static void WritePredictions(ModelTrace trace, IReadOnlyList<IReadOnlyList<float>?> after, TextWriter output, TraceView view)
    {
        var example = trace.Example;
        output.WriteLine();
        output.WriteLine($"Prediction after each word ({SpecNames.Of(trace.OutputActivation)} output; the model on the sequence up to that word):");
        var width = example.RealSteps.Max(t => Word(example, t, view).Length);
        foreach (var t in example.RealSteps)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  t={t,-4} {Word(example, t, view).PadRight(width)}  {Vector(after[t]!, view.MaxValues)}"));
        if (trace.OutputActivation != Activation.Sigmoid || trace.Output.Count != 1) return;
        int? previous = null;
        foreach (var t in example.RealSteps)
        {
            if (previous is { } p && after[p]![0] >= 0.5f != after[t]![0] >= 0.5f)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  crossed 0.5 at t={t} ({Word(example, t, view)}): {after[p]![0]:F4} → {after[t]![0]:F4}"));
            previous = t;
        }
    }

    /// <summary>A classifier's reading of its output: the class and its probability.</summary>
    private static string Verdict(IReadOnlyList<float> output, IReadOnlyList<string>? classes)
    {
        if (output.Count == 1 && output[0] is >= 0 and <= 1)
        {
            var positive = output[0] >= 0.5f;
            var name = classes is { Count: 2 } ? classes[positive ? 1 : 0] : positive ? "1" : "0";
            return string.Create(CultureInfo.InvariantCulture, $" → {name} (P = {(positive ? output[0] : 1 - output[0]):F4})");
        }
        if (classes is { } names && names.Count == output.Count && output.Count > 1)
        {
            var best = Enumerable.Range(0, output.Count).MaxBy(i => output[i]);
            return string.Create(CultureInfo.InvariantCulture, $" → {names[best]} (P = {output[best]:F4})");
        }
        return "";
    }

    public static string Word(TraceExample example, int t, TraceView view) =>
        example.Words is null ? $"t{t}" : view.Ids && example.Tokens is { } ids ? $"{example.Words[t]}[{ids[t]}]" : example.Words[t];

    /// <summary>Gate rows are named as in the cell's equations; the simple RNN's one "gate" is its pre-activation a_t.</summary>
    private static string Label(string cell, string gate) => cell.Contains("simple_rnn", StringComparison.Ordinal) ? "a_t" : $"{gate}_t";

    private static void Line(TextWriter output, string label, IReadOnlyList<float> values, int maxValues) =>
        output.WriteLine($"    {label,-4}{Vector(values, maxValues)}");

    private static string Vector(IReadOnlyList<float> values, int maxValues)
    {
        var shown = values.Take(maxValues).Select(v => Number(v));
        var more = values.Count > maxValues ? $" … ({values.Count} values)" : "";
        return $"[{string.Join(' ', shown)}]{more}";
    }

    /// <summary>A value with its sign, to four places: a tiny negative number is "-0.0000", never "-+0.0000".</summary>
    public static string Number(double value, int places = 4) =>
        (value < 0 ? "-" : "+") + Math.Abs(value).ToString("0." + new string('0', places), CultureInfo.InvariantCulture);
}
