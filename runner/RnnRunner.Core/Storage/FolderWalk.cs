namespace RnnRunner.Core.Storage;

/// <summary>
/// Every file under a folder, as the user's data folders are read. Symbolic links to folders are followed (a class
/// folder may be a link to where the texts live), but a link that leads back to a folder the walk has already
/// entered — a loop, or a second way to the same texts — is refused (<see cref="FolderLoopException"/>) instead of
/// being walked forever or read twice.
/// </summary>
public static class FolderWalk
{
    /// <summary>The files matching <paramref name="pattern"/>, as paths under <paramref name="root"/>, in no particular order.</summary>
    public static IEnumerable<string> Files(string root, string pattern)
    {
        var entered = new Dictionary<string, string>(StringComparer.Ordinal) { [RealPath.Of(root)] = root };
        var pending = new Stack<string>([root]);
        var direct = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = 0 };
        while (pending.TryPop(out var folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, pattern, direct)) yield return Named(file);
            foreach (var child in Directory.EnumerateDirectories(folder, "*", direct).Order(StringComparer.Ordinal).Select(Named))
            {
                var real = RealPath.Of(child);
                if (entered.TryGetValue(real, out var first))
                    throw new FolderLoopException($"{child}: a symbolic link to {first}, which is read already (a loop, or the same files twice); remove the link");
                entered[real] = child;
                pending.Push(child);
            }
        }
    }

    /// <summary>
    /// A name that is not UTF-8 reaches .NET with U+FFFD in place of its bytes, and no longer names the file: it is
    /// refused by name rather than dropped (a class folder would vanish without a word) or failing as "not found".
    /// </summary>
    private static string Named(string path) => path.Contains('\uFFFD')
        ? throw new IOException($"{path}: a name that is not UTF-8 (its bytes are shown as \uFFFD); rename it")
        : path;
}

/// <summary>A folder reached twice while walking a tree (a symbolic-link loop).</summary>
public sealed class FolderLoopException(string message) : IOException(message);
