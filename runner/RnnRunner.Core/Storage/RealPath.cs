namespace RnnRunner.Core.Storage;

/// <summary>
/// A path with every symbolic link in it resolved (as realpath(3) gives), so two names of one file compare equal:
/// <c>predict --input x.txt --output ./link-to-x.txt</c> is the same file, and is refused as such.
/// </summary>
public static class RealPath
{
    /// <summary>More links than this on one path is a loop (Linux's own limit is 40).</summary>
    private const int MaxLinks = 40;

    /// <summary>The resolved absolute path; components that do not exist yet are kept as given.</summary>
    public static string Of(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies somewhere under it (both resolved).</summary>
    public static bool IsWithin(string path, string folder)
    {
        var (p, f) = (Of(path), Of(folder).TrimEnd('/'));
        return p == f || p.StartsWith(f + "/", StringComparison.Ordinal);
    }

    private static string Resolve(string full, ref int links)
    {
        var current = "/";
        foreach (var part in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks) throw new IOException($"{full}: too many levels of symbolic links");
                next = Resolve(Path.GetFullPath(target, current), ref links);
            }
            current = next;
        }
        return current;
    }
}
