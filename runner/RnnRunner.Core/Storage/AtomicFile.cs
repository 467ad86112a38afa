using System.Text;

namespace RnnRunner.Core.Storage;

/// <summary>
/// Writes files so that a reader (or a crash) only ever sees the previous complete file or the new complete
/// one: write to a temporary name in the same folder, flush to disk, then rename over the target.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text) =>
        Write(path, stream => stream.Write(new UTF8Encoding(false).GetBytes(text)));

    /// <param name="keepPreviousAs">If set, the file being replaced is first renamed to this (e.g. the previous checkpoint).</param>
    public static void Write(string path, Action<Stream> write, string? keepPreviousAs = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            FaultPoints.Reach(FaultPoints.BeforeRename, path);
            // A crash between these two renames leaves only the previous file: readers fall back to it.
            if (keepPreviousAs is not null && File.Exists(path)) File.Move(path, keepPreviousAs, overwrite: true);
            File.Move(temporary, path, overwrite: true);
            FaultPoints.Reach(FaultPoints.AfterRename, path);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Removes temporaries a killed writer left in <paramref name="folder"/> (call only while owning it).</summary>
    public static int RemoveStrayTemporaries(string folder)
    {
        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(folder, ".*.tmp"))
        {
            TryDelete(file);
            removed++;
        }
        return removed;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
