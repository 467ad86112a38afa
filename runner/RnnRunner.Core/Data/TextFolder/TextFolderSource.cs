using System.Globalization;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.TextFolder;

/// <summary>
/// <c>text_folder</c> as an <see cref="IDataSource"/>: Keras' text_dataset_from_directory layout (see
/// <see cref="TextFolderLayout"/>) → labelled texts → the same tokenising, vocabulary, token cache and preprocessing
/// report as IMDB (<see cref="TextPreprocessor"/>).
/// </summary>
[Implements(typeof(TextFolderDataSpec))]
public sealed class TextFolderSource(TextFolderDataSpec spec, DataEnvironment environment) : IDataSource
{
    public TextFolderSource(TextFolderDataSpec spec, DataSourceContext context) : this(spec, context.Environment) { }


    /// <summary>Before loading, whole texts (maxlen null) are sized for this many tokens; once loaded, the longest sets it.</summary>
    public const int WholeTextSteps = 4_096;

    public DataSignature Describe()
    {
        // An unreadable or missing path is reported by validation (data.path); the signature then only needs to be plausible.
        var classes = spec.Classes?.Count ?? TryInspect()?.Classes.Count ?? 2;
        return TextPreprocessor.Signature(spec, spec.Maxlen ?? WholeTextSteps, Math.Max(2, classes));
    }

    public IEnumerable<DataProblem> Problems()
    {
        var problems = TextDataChecks.Of(spec, spec.Path).ToList();
        if (problems.Any(p => p.Path == "data.path")) return problems;
        TextFolderLayout layout;
        try
        {
            layout = TextFolderLayout.Inspect(spec.Path, classes: null);
        }
        catch (DatasetException e)
        {
            return [.. problems, new DataProblem("data.path", e.Message)];
        }
        return spec.Classes is { } classes && layout.ClassesProblem(classes) is { } problem
            ? [.. problems, new DataProblem("data.classes", $"{spec.Path} {problem}")]
            : problems;
    }

    private TextFolderLayout? TryInspect()
    {
        try { return File.Exists(spec.Path) || Directory.Exists(spec.Path) ? TextFolderLayout.Inspect(spec.Path, spec.Classes) : null; }
        catch (DatasetException) { return null; }
    }

    public string ContentFingerprint(CancellationToken cancellation) => SourceFingerprint.Of(spec.Path, environment.CacheRoot, cancellation);

    public SourceData Load(int seed, CancellationToken cancellation)
    {
        var layout = TextFolderLayout.Inspect(spec.Path, spec.Classes, cancellation);
        var sha = SourceFingerprint.Of(spec.Path, environment.CacheRoot, cancellation);
        var settings = string.Join(",", layout.Classes) + "|" + (layout.HasSplits ? "splits" : spec.TestSplit.ToString("R", CultureInfo.InvariantCulture));
        var place = new TokenCache.Place("text_folder", TokenCache.Key(spec, sha, seed, settings, seeded: !layout.HasSplits),
            Path.GetFullPath(spec.Path), sha, layout.Classes.Count);
        return TokenCache.LoadOrBuild(spec, environment, place, () =>
        {
            var texts = Read(layout, cancellation);
            if (!layout.HasSplits) texts = TextPreprocessor.SplitOffTest(texts, layout.Classes.Count, spec.TestSplit, seed, "text-folder-test-split");
            foreach (var split in new[] { TextPreprocessor.Train, TextPreprocessor.Test })
                if (!texts.Any(t => t.Split == split))
                    throw new DatasetException($"{spec.Path}: the {split} split holds no texts of the classes {string.Join(", ", layout.Classes)}");
            if (spec.Limit is { } limit) texts = TextPreprocessor.Subsample(texts, limit, layout.Classes.Count, seed);
            return TextPreprocessor.Run(spec, texts, layout.Classes, cancellation, environment.Progress, environment.Trained?.Vocabulary);
        });
    }

    /// <summary>Every text of the chosen classes; within a split and class, in the ordinal order of the file paths.</summary>
    private IReadOnlyList<LabelledText> Read(TextFolderLayout layout, CancellationToken cancellation)
    {
        var label = layout.Classes.Select((name, index) => (name, index)).ToDictionary(c => c.name, c => c.index, StringComparer.Ordinal);
        var placed = new List<(string Split, int Label, string Path, string Text)>();
        foreach (var file in TextFiles.ReadAll(spec.Path, cancellation))
            if (layout.Place(file.Path) is { } place && label.TryGetValue(place.Class, out var index))
                placed.Add((place.Split, index, file.Path, file.Text));
        return placed.OrderBy(p => p.Split == TextPreprocessor.Train ? 0 : 1).ThenBy(p => p.Label).ThenBy(p => p.Path, StringComparer.Ordinal)
            .Select((p, i) => new LabelledText(p.Split, p.Label, i, p.Text)).ToList();
    }
}
