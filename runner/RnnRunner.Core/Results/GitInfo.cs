namespace RnnRunner.Core.Results;

/// <summary>The project's git commit, read from .git without running git (absent outside a checkout).</summary>
public static class GitInfo
{
    public static string? Commit(string startDirectory)
    {
        try
        {
            for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
            {
                var git = Path.Combine(dir.FullName, ".git");
                if (File.Exists(git)) // a worktree or submodule: "gitdir: <path>"
                {
                    var pointer = File.ReadAllText(git).Trim();
                    if (!pointer.StartsWith("gitdir:", StringComparison.Ordinal)) return null;
                    git = Path.GetFullPath(Path.Combine(dir.FullName, pointer[7..].Trim()));
                }
                if (!Directory.Exists(git)) continue;
                var head = File.ReadAllText(Path.Combine(git, "HEAD")).Trim();
                if (!head.StartsWith("ref: ", StringComparison.Ordinal)) return head;
                var reference = head[5..];
                var loose = Path.Combine(git, reference);
                if (File.Exists(loose)) return File.ReadAllText(loose).Trim();
                var packed = Path.Combine(git, "packed-refs");
                return File.Exists(packed)
                    ? File.ReadLines(packed).Where(l => l.EndsWith(" " + reference, StringComparison.Ordinal))
                        .Select(l => l[..l.IndexOf(' ')]).FirstOrDefault()
                    : null;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
