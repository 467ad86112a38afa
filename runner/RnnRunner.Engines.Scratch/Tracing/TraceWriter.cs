using System.Globalization;
using RnnRunner.Core.Specs;

namespace RnnRunner.Engines.Scratch.Tracing;

/// <summary>Prints a <see cref="ModelTrace"/> as aligned text: one block per time step, one line per vector.</summary>
public static class TraceWriter
{
    /// <param name="maxValues">Values shown per vector before "…".</param>
    public static void Write(ModelTrace trace, TextWriter output, int maxValues = 8)
    {
        output.WriteLine($"Example {trace.Example} of the training split, first {trace.Steps} of {trace.TotalSteps} steps.");
        if (trace.Tokens is { } tokens) output.WriteLine($"tokens: {string.Join(' ', tokens)}");
        foreach (var layer in trace.Layers)
        {
            output.WriteLine();
            var direction = layer.Direction is null ? "" : $", {layer.Direction} direction";
            output.WriteLine($"{layer.Path} {layer.Cell}{direction}");
            foreach (var step in layer.Steps)
            {
                if (step.Skipped)
                {
                    output.WriteLine($"  t={step.T}  skipped: padding under mask_zero (state carried over)");
                    continue;
                }
                output.WriteLine($"  t={step.T}");
                Line(output, "x_t", step.Input, maxValues);
                foreach (var (name, values) in step.Gates) Line(output, Label(layer.Cell, name), values, maxValues);
                if (step.Cell is { } c) Line(output, "c_t", c, maxValues);
                Line(output, "h_t", step.Hidden, maxValues);
            }
        }
        output.WriteLine();
        var activation = SpecNames.Of(trace.OutputActivation);
        output.WriteLine($"output ({activation}): {Vector(trace.Output, maxValues)}");
    }

    /// <summary>Gate rows are named as in the cell's equations; the simple RNN's one "gate" is its pre-activation a_t.</summary>
    private static string Label(string cell, string gate) => cell.Contains("simple_rnn", StringComparison.Ordinal) ? "a_t" : $"{gate}_t";

    private static void Line(TextWriter output, string label, IReadOnlyList<float> values, int maxValues) =>
        output.WriteLine($"    {label,-4}{Vector(values, maxValues)}");

    private static string Vector(IReadOnlyList<float> values, int maxValues)
    {
        var shown = values.Take(maxValues).Select(v => v.ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture));
        var more = values.Count > maxValues ? $" … ({values.Count} values)" : "";
        return $"[{string.Join(' ', shown)}]{more}";
    }
}
