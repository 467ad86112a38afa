namespace RnnRunner.Core.Storage;

/// <summary>
/// A lock held for a short step across processes (appending to a study's journal, choosing its folder): the
/// kernel's <c>flock</c> on a lock file, as <see cref="RunLock"/> uses, but waited for instead of refused. Released when
/// disposed or when the process dies.
/// </summary>
public static class FileLock
{
    /// <summary>Holds the lock on <paramref name="lockPath"/> (created if missing) once it is free; dispose to release.</summary>
    /// <exception cref="TimeoutException">Another process held it for longer than <paramref name="timeout"/>.</exception>
    public static FileStream Wait(string lockPath, TimeSpan? timeout = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(lockPath))!);
        var limit = timeout ?? TimeSpan.FromMinutes(5);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(lockPath))
            {
                if (clock.Elapsed > limit) throw new TimeoutException($"{lockPath} has been held by another process for over {limit.TotalMinutes:F0} minutes");
                Thread.Sleep(20);
            }
        }
    }
}
