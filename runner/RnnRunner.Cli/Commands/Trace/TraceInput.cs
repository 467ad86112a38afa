using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Inspection;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;

namespace RnnRunner.Cli.Commands.Trace;

/// <summary>The sequence <c>trace</c> and <c>explain</c> look at: one's own text, or an example of the training split.</summary>
public static class TraceInput
{
    /// <summary>
    /// The sequence to trace: the text given, encoded and padded as <c>predict</c> does (named by <paramref name="origin"/>:
    /// "your text", or a file's place), else a training example.
    /// </summary>
    public static TraceExample Example(LoadedSpec loaded, RunFolder? run, string? ownText, int index, IReadOnlyList<string>? classes, string origin = "your text")
    {
        var text = loaded.Spec.Data as TextDataSpec;
        if (ownText is { } own)
        {
            if (text is null)
                throw new DatasetException($"--text needs a model of text; this one reads {SpecNames.OfVariant(loaded.Spec.Data)} data: trace a training example with --example");
            var encoding = Encoding(loaded, run, text) ?? throw new DatasetException("--text needs the run's vocabulary.txt; trace a run folder");
            var ids = encoding.EncodeIds(own).Ids;
            if (ids.Length == 0) throw new DatasetException($"{origin}: no words to trace");
            return TraceExample.FromIds(origin, ids, text.Maxlen ?? ids.Length, text.Padding, encoding.WordOf);
        }
        var splits = DataSources.LoadSplits(loaded.Spec.Data, 0, loaded.Spec.Seed);
        var words = text is not null && Encoding(loaded, run, text, splits.Vocabulary) is { } known ? known.WordOf : (Func<int, string>?)null;
        return TraceExample.FromSplit(splits.Train, "training", index, words, classes);
    }

    /// <summary>
    /// The engine that looks inside: the one asked for, else the scratch engine, whichever engine trained the run — the
    /// weights are interchangeable and both engines give the same numbers (a test holds them together), but the scratch
    /// engine reads its cells' insides directly and needs no libtorch, which halves explain's time (docs/EXPLAIN.md).
    /// </summary>
    public static ModelInspector Inspector(EngineCatalog engines, EngineKind? asked, LoadedSpec loaded, IReadOnlyList<NamedTensor>? weights) =>
        new(engines.For(asked ?? EngineKind.Scratch), loaded, weights);

    /// <summary>The engine's name for the heading: "scratch engine", "torch engine".</summary>
    public static string EngineName(ModelInspector inspector) => $"{SpecNames.Of(inspector.Engine)} engine";

    /// <summary>The run's vocabulary (its vocabulary.txt), else the one the data built; null when neither exists.</summary>
    private static TextEncoding? Encoding(LoadedSpec loaded, RunFolder? run, TextDataSpec text, Vocabulary? built = null)
    {
        if (run is not null && File.Exists(run.Vocabulary)) return new TextEncoding(text, Vocabulary.Parse(run.ReadDataFile(run.Vocabulary), run.Vocabulary));
        built ??= DataSources.LoadSplits(loaded.Spec.Data, 0, loaded.Spec.Seed).Vocabulary;
        return built is null ? null : new TextEncoding(text, built);
    }
}
