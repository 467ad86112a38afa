using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Tracing;

namespace RnnRunner.Cli.Commands.Trace;

/// <summary>
/// <c>rnnrunner trace</c>: one sequence through the model on the scratch engine — a training example or one's own
/// text — with its words, the prediction after each word, and every gate of every layer at every step.
/// </summary>
public static class TraceCommand
{
    /// <param name="Path">A spec (traced with its seeded initial weights) or a run folder (with its trained weights).</param>
    /// <param name="Text">One's own text instead of a training example (a text model).</param>
    public sealed record Request(string Path, IReadOnlyList<string> Overrides, int Example, string? Text, TraceView View, bool Json);

    public static int Execute(Request request, TextWriter output, TextWriter errors)
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
            var loaded = SpecInput.TryLoad(path, request.Overrides, errors);
            if (loaded is null) return ExitCodes.InvalidInput;
            var classes = run is null ? null : TrainedClasses.Of(run, loaded.Plan.Data)?.Names;
            var example = Example(loaded, run, request, classes);
            var trace = ModelTracer.Trace(loaded, weights, example);
            var view = request.View with { Classes = classes };
            if (request.Json) JsonOutput.Write(output, TraceJson.Of(loaded, weights is not null, trace, view));
            else
            {
                output.WriteLine($"{loaded.Spec.Name}: {(weights is null ? $"initial weights (seed {loaded.Spec.Seed})" : "trained weights")}, scratch engine");
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

    /// <summary>The sequence to trace: the text given, encoded and padded as <c>predict</c> does, else a training example.</summary>
    private static TraceExample Example(LoadedSpec loaded, RunFolder? run, Request request, IReadOnlyList<string>? classes)
    {
        var text = loaded.Spec.Data as TextDataSpec;
        if (request.Text is { } own)
        {
            if (text is null)
                throw new DatasetException($"--text needs a model of text; this one reads {SpecNames.OfVariant(loaded.Spec.Data)} data: trace a training example with --example");
            var encoding = Encoding(loaded, run, text) ?? throw new DatasetException("--text needs the run's vocabulary.txt; trace a run folder");
            var ids = encoding.EncodeIds(own).Ids;
            if (ids.Length == 0) throw new DatasetException("--text: no words to trace");
            return TraceExample.FromIds("your text", ids, text.Maxlen ?? ids.Length, text.Padding, encoding.WordOf);
        }
        var splits = DataSources.LoadSplits(loaded.Spec.Data, 0, loaded.Spec.Seed);
        var words = text is not null && Encoding(loaded, run, text, splits.Vocabulary) is { } known ? known.WordOf : (Func<int, string>?)null;
        return TraceExample.FromSplit(splits.Train, "training", request.Example, words, classes);
    }

    /// <summary>The run's vocabulary (its vocabulary.txt), else the one the data built; null when neither exists.</summary>
    private static TextEncoding? Encoding(LoadedSpec loaded, RunFolder? run, TextDataSpec text, Vocabulary? built = null)
    {
        if (run is not null && File.Exists(run.Vocabulary)) return new TextEncoding(text, Vocabulary.Parse(run.ReadDataFile(run.Vocabulary), run.Vocabulary));
        built ??= DataSources.LoadSplits(loaded.Spec.Data, 0, loaded.Spec.Seed).Vocabulary;
        return built is null ? null : new TextEncoding(text, built);
    }
}
