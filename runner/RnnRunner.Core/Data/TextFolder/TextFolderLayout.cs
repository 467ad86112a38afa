using System.Collections.Concurrent;
using RnnRunner.Core.Data.Text;

namespace RnnRunner.Core.Data.TextFolder;

/// <summary>
/// How a text folder is laid out, from its files' paths alone: Keras' <c>&lt;class&gt;/*.txt</c> (any depth below the
/// class folder), either under <c>train/</c> and <c>test/</c> or in one folder to be split. One top-level folder that
/// holds everything (aclImdb/) is entered. Classes are the class folders' names in ordinal order, as Keras sorts them.
/// </summary>
/// <param name="Prefix">The leading folders entered ("aclImdb/"), stripped from every path.</param>
/// <param name="HasSplits">Whether train/ and test/ folders split the texts already.</param>
public sealed record TextFolderLayout(string Prefix, bool HasSplits, IReadOnlyList<string> Classes)
{
    /// <summary>A text's split and class from its path; null for a file outside the layout (a .txt beside the classes).</summary>
    public (string Split, string Class)? Place(string path)
    {
        if (!path.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var parts = path[Prefix.Length..].Split('/');
        if (HasSplits)
            return parts.Length >= 3 && parts[0] is TextPreprocessor.Train or TextPreprocessor.Test ? (parts[0], parts[1]) : null;
        return parts.Length >= 2 ? (TextPreprocessor.Train, parts[0]) : null;
    }

    private static readonly ConcurrentDictionary<(string, long, long), TextFolderLayout> Known = new();

    /// <summary>
    /// The layout of <paramref name="source"/>, with <paramref name="classes"/> (when given) checked to exist and used
    /// in their order. Listing an archive decompresses it, so a layout is remembered per file (path, size and time).
    /// </summary>
    public static TextFolderLayout Inspect(string source, IReadOnlyList<string>? classes, CancellationToken cancellation = default)
    {
        var stamp = Directory.Exists(source)
            ? (Path.GetFullPath(source), 0L, Directory.GetLastWriteTimeUtc(source).Ticks)
            : (Path.GetFullPath(source), new FileInfo(source).Length, File.GetLastWriteTimeUtc(source).Ticks);
        var found = Directory.Exists(source) || !Known.TryGetValue(stamp, out var known)
            ? Discover(source, TextFiles.List(source, cancellation))
            : known;
        if (!Directory.Exists(source)) Known[stamp] = found;
        if (classes is null) return found;
        return found.ClassesProblem(classes) is { } problem ? throw new DatasetException($"{source}: {problem}") : found with { Classes = classes };
    }

    /// <summary>Why <paramref name="classes"/> (a spec's list) cannot label this folder's texts, or null when it can.</summary>
    public string? ClassesProblem(IReadOnlyList<string> classes)
    {
        if (classes.FirstOrDefault(c => !Classes.Contains(c)) is { } missing)
            return $"has no class folder '{missing}' (it has {string.Join(", ", Classes)})";
        if (classes.Distinct().Count() != classes.Count) return "classes lists a class twice";
        return classes.Count < 2 ? "a classifier needs two classes or more" : null;
    }

    private static TextFolderLayout Discover(string source, IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) throw new DatasetException($"{source}: holds no .txt files");
        var prefix = "";
        // Enter a lone top-level folder (aclImdb/) unless it is a split or the texts sit right inside it.
        while (paths.Select(p => p[prefix.Length..].Split('/')).ToList() is var split
               && split.All(p => p.Length >= 3) && split.Select(p => p[0]).Distinct().Count() == 1
               && split[0][0] is not (TextPreprocessor.Train or TextPreprocessor.Test))
            prefix += split[0][0] + "/";
        var tails = paths.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p[prefix.Length..].Split('/')).ToList();
        var hasSplits = tails.Any(t => t.Length >= 3 && t[0] == TextPreprocessor.Train);
        var classes = (hasSplits
                ? tails.Where(t => t.Length >= 3 && t[0] == TextPreprocessor.Train).Select(t => t[1])
                : tails.Where(t => t.Length >= 2).Select(t => t[0]))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        if (classes.Count < 2)
            throw new DatasetException($"{source}: {(hasSplits ? $"{prefix}train/" : prefix.Length > 0 ? prefix : "the folder")} holds "
                + $"{(classes.Count == 0 ? "no class folders" : $"one class folder ({classes[0]}/)")}; a classifier needs a folder of .txt files per class, two or more");
        var layout = new TextFolderLayout(prefix, hasSplits, classes);
        if (hasSplits && tails.Where(t => t.Length >= 3 && t[0] == TextPreprocessor.Test).Select(t => t[1]).FirstOrDefault(c => !classes.Contains(c)) is { } unseen)
            throw new DatasetException($"{source}: {prefix}test/{unseen}/ is a class the training split does not have ({prefix}train/ has {string.Join(", ", classes)})");
        return layout;
    }
}
