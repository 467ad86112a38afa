using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Inspection;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;

namespace RnnRunner.Cli.Commands.Trace;

/// <summary>
/// <c>rnnrunner trace</c>: one sequence through the model on the scratch engine — a training example or one's own
/// text — with its words, the prediction after each word, and every gate of every layer at every step.
/// </summary>
public static class TraceCommand
{
    /// <param name="Path">A spec (traced with its seeded initial weights) or a run folder (with its trained weights).</param>
    /// <param name="Text">One's own text instead of a training example (a text model).</param>
    public sealed record Request(string Path, IReadOnlyList<string> Overrides, int Example, string? Text, TraceView View, bool Json, EngineKind? Engine = null);

    public static int Execute(Request request, Composition parts, TextWriter output, TextWriter errors)
    {
        if (request.View.Steps < 0 || request.View.MaxValues < 1)
        {
            errors.WriteLine("error: --steps must be at least 0 (0: every step) and --values at least 1");
            return ExitCodes.InvalidInput;
        }
        try
        {
            var path = request.Path;
            IReadOnlyList<NamedTensor>? weights = null;
            RunFolder? run = null;
            if (Directory.Exists(path))
            {
                run = RunFolder.Open(path);
                if (!File.Exists(run.Weights))
                    throw new InvalidDataException($"{run.Path}: no weights.bin here; is this a completed run folder?");
                weights = WeightsFile.Load(run.Weights);
                path = run.SpecResolved;
            }
            // A run folder: its own spec and plan, as explain and predict read them (it ran, so no engine check).
            var loaded = run is not null && request.Overrides.Count == 0 ? TrainedSpec.Load(run) : SpecInput.TryLoad(path, request.Overrides, errors);
            if (loaded is null) return ExitCodes.InvalidInput;
            var classes = run is null ? null : TrainedClasses.Of(run, loaded.Plan.Data)?.Names;
            var example = TraceInput.Example(loaded, run, request.Text, request.Example, classes);
            using var engines = parts.Engines();
            using var inspector = TraceInput.Inspector(engines, request.Engine, loaded, weights);
            var trace = inspector.Trace(example);
            var view = request.View with { Classes = classes };
            if (request.Json) JsonOutput.Write(output, TraceJson.Of(loaded, weights is not null, trace, view));
            else
            {
                output.WriteLine($"{loaded.Spec.Name}: {(weights is null ? $"initial weights (seed {loaded.Spec.Seed})" : "trained weights")}, {TraceInput.EngineName(inspector)}");
                TraceWriter.Write(trace, output, view);
            }
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or DirectoryNotFoundException or DatasetException or Core.Storage.DamagedFileException)
        {
            errors.WriteLine($"error: {e.Message.Split(Environment.NewLine)[0]}");
            return ExitCodes.InvalidInput;
        }
    }
}
