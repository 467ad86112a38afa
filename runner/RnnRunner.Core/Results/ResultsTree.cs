namespace RnnRunner.Core.Results;

/// <summary>
/// Walks a results folder: run folders (they hold a summary.json; nothing below one is another run) and report
/// folders (a grid's or a comparison's, with a report.html; their trials are walked too). Hidden entries — claims,
/// locks, the index cache — are skipped, and so are symbolic links to folders: a results folder is walked as it is,
/// never out of it (a link to / or to itself would make the walk endless).
/// </summary>
public static class ResultsTree
{
    private static readonly EnumerationOptions Children = new() { AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Hidden };

    public static IEnumerable<string> RunFolders(string root, CancellationToken cancellation = default) =>
        Walk(root, cancellation).Where(f => f.IsRun).Select(f => f.Path);

    public static IEnumerable<string> ReportFolders(string root, CancellationToken cancellation = default) =>
        Walk(root, cancellation).Where(f => !f.IsRun).Select(f => f.Path);

    private static IEnumerable<(string Path, bool IsRun)> Walk(string root, CancellationToken cancellation)
    {
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var folder))
        {
            cancellation.ThrowIfCancellationRequested();
            if (File.Exists(RunFolder.At(folder).Summary))
            {
                yield return (folder, true);
                continue;
            }
            if (File.Exists(new GridFolder(folder).Report) && folder != root) yield return (folder, false);
            IEnumerable<string> children;
            try { children = Directory.EnumerateDirectories(folder, "*", Children).ToList(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            foreach (var child in children.Where(c => !Path.GetFileName(c).StartsWith('.')).OrderDescending(StringComparer.Ordinal))
                pending.Push(child);
        }
    }
}
