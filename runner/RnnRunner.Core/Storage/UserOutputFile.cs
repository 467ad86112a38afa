namespace RnnRunner.Core.Storage;

/// <summary>
/// A file the user names for a command's output (<c>predict --output</c>). It is never one
/// of the command's own inputs and never inside a run folder (a folder holding a summary.json: its weights, vocabulary
/// and checkpoints are what other commands read back), and it is replaced atomically: a kill or a full disk leaves the
/// previous file whole, never a partial one.
/// </summary>
public static class UserOutputFile
{
    /// <summary>Why <paramref name="output"/> may not be written, or null when it may.</summary>
    public static string? ProblemWith(string output, IEnumerable<string> inputs)
    {
        var target = RealPath.Of(output);
        foreach (var input in inputs)
            if (RealPath.Of(input) == target)
                return $"--output {output} is the input {input}: writing there would destroy it; name another file";
        if (Directory.Exists(target)) return $"--output {output} is a folder; name a file";
        var folder = Path.GetDirectoryName(target)!;
        for (var dir = folder; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "summary.json")))
                return $"--output {output} is inside the run folder {dir}, whose files RnnRunner reads back; write it elsewhere";
        if (!Directory.Exists(folder)) return $"--output {output}: the folder {folder} does not exist";
        return null;
    }

    /// <summary>
    /// Writes the file: a device (<c>/dev/stdout</c>, <c>/dev/null</c>) directly, as it cannot be replaced; anything
    /// else through a temporary renamed over it when complete.
    /// </summary>
    public static void Write(string output, Action<Stream> write)
    {
        var given = Path.GetFullPath(output);
        var target = RealPath.Of(output);
        if (IsDevice(given) || IsDevice(target))
        {
            // The name as given: /dev/stdout resolves to a pipe or a terminal that has no path of its own.
            using var stream = new FileStream(given, FileMode.Open, FileAccess.Write);
            write(stream);
            return;
        }
        AtomicFile.Write(target, write);
    }

    private static bool IsDevice(string path) => path.StartsWith("/dev/", StringComparison.Ordinal) || path.StartsWith("/proc/", StringComparison.Ordinal);
}
