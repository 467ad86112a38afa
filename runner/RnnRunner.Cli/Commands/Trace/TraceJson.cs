using RnnRunner.Core.Inspection;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;

namespace RnnRunner.Cli.Commands.Trace;

/// <summary><c>trace --json</c>: the same numbers as the text, every shown step of every layer, for scripts and notebooks.</summary>
internal static class TraceJson
{
    public static object Of(LoadedSpec loaded, bool trained, ModelTrace trace, TraceView view)
    {
        var example = trace.Example;
        var shown = TraceWriter.Shown(example, view);
        return new
        {
            spec = loaded.Spec.Name,
            weights = trained ? "trained" : "initial",
            engine = "scratch",
            example = new { origin = example.Origin, label = example.Label, steps = example.Steps, padding_steps = example.Padding.Count(p => p) },
            words = example.Words is null ? null : example.RealSteps.Select(t => new { t, word = example.Words[t], id = example.Tokens![t] }),
            after_each_step = trace.AfterEachStep is { } after ? example.RealSteps.Select(t => new { t, output = after[t] }) : null,
            layers = trace.Layers.Select(layer => new
            {
                path = layer.Path,
                cell = layer.Cell,
                direction = layer.Direction,
                steps = layer.Steps.Where(s => shown.Contains(s.T)).Select(s => new
                {
                    t = s.T,
                    padding = example.Padding[s.T],
                    skipped = s.Skipped,
                    input = s.Skipped ? null : s.Input,
                    gates = s.Skipped ? null : s.Gates.ToDictionary(g => g.Name, g => g.Values),
                    cell = s.Cell,
                    hidden = s.Skipped ? null : s.Hidden,
                }),
            }),
            output = trace.Output,
            activation = SpecNames.Of(trace.OutputActivation),
        };
    }
}
