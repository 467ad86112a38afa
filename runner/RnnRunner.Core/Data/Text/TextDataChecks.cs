using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Text;

/// <summary>The checks every text dataset shares: its path is a folder or a regular file, and its reserved ids collide with nothing.</summary>
public static class TextDataChecks
{
    /// <summary>Problems of <paramref name="path"/> (when the dataset has one) and of the id settings; an unusable path comes first.</summary>
    public static IEnumerable<DataProblem> Of(TextDataSpec spec, string? path)
    {
        if (PathProblem(path) is { } problem) yield return problem;
        if (spec.NumWords <= spec.IndexFrom + 1)
            yield return new DataProblem("data.num_words", $"{spec.NumWords} leaves no word ids: word ids start at index_from + 1 = {spec.IndexFrom + 1}");
        // Keras lets these collide silently; a reserved id that is also a word id corrupts the data.
        foreach (var (name, value) in new[] { ("start_char", spec.StartChar), ("oov_char", spec.OovChar) })
        {
            if (value is { } id && (id > spec.IndexFrom || id == 0))
                yield return new DataProblem($"data.{name}",
                    $"{id} {(id == 0 ? "is the padding id" : $"collides with word ids (they start at index_from + 1 = {spec.IndexFrom + 1})")}; use an id from 1 to index_from");
        }
        if (spec.StartChar is { } s && s == spec.OovChar)
            yield return new DataProblem("data.oov_char", "is the same id as start_char");
    }

    /// <summary>Why <paramref name="path"/> cannot be read: missing, or empty or not a regular file (/dev/zero, a pipe); null when it can.</summary>
    public static DataProblem? PathProblem(string? path)
    {
        if (path is null) return null;
        if (!File.Exists(path) && !Directory.Exists(path))
            return new DataProblem("data.path", $"{path}: no such file or folder (relative paths start from {Environment.CurrentDirectory})");
        // /dev/zero, a pipe or a FIFO report no length: reading one would never end.
        return File.Exists(path) && new FileInfo(path).Length == 0
            ? new DataProblem("data.path", $"{path}: is empty or not a regular file (a device or a pipe?); give the archive or the extracted folder")
            : null;
    }
}
