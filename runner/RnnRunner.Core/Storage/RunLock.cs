using System.Globalization;
using RnnRunner.Core.Settings;

namespace RnnRunner.Core.Storage;

/// <summary>
/// One owner per run folder: an exclusive lock on <c>.&lt;folder&gt;.lock</c> beside it, held while a process trains
/// into the folder. It is the kernel's <c>flock</c> (what .NET takes for <c>FileShare.None</c> on Linux), so it is
/// released the moment its process dies — even by <c>kill -9</c> — and a crash never leaves a stale lock. On a
/// cluster it works on file systems whose flock is cluster-wide: NFSv4 (Linux maps flock to NFS byte-range locks),
/// Lustre mounted with <c>-o flock</c>, GPFS and BeeGFS; not on Lustre's default <c>localflock</c> mount (see docs/CLUSTER.md).
/// The lock lives beside the folder, not in it, because a trial's folder is deleted and made anew under the lock.
/// Within one process the lock is re-entrant; a child process started by the holder (a grid's trial) may use
/// the folder when the holder names itself in $RNNRUNNER_PARENT_PID (<see cref="Switchboard.ParentProcessVariable"/>).
/// </summary>
public sealed class RunLock : IDisposable
{
    private static readonly Dictionary<string, (FileStream Stream, int Count)> Held = new();
    /// <summary>Folders this process trains under its parent's lock (a grid's child trial).</summary>
    private static readonly Dictionary<string, int> Borrowed = new();
    private readonly string _key;
    private bool _disposed;

    private RunLock(string key) => _key = key;

    /// <summary>Takes the lock on <paramref name="folder"/>, or throws <see cref="RunInUseException"/> naming its holder.</summary>
    public static RunLock Acquire(string folder) =>
        TryAcquire(folder, out var holder) ?? throw new RunInUseException(folder, holder!);

    /// <summary>The lock, or null with who holds it (e.g. "pid 4242 on node7 since 2026-12-02 06:13:10Z").</summary>
    public static RunLock? TryAcquire(string folder, out string? holder)
    {
        holder = null;
        var full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        var lockPath = LockPath(full);
        lock (Held)
        {
            if (Held.TryGetValue(full, out var held))
            {
                Held[full] = held with { Count = held.Count + 1 };
                return new RunLock(full);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                Held[full] = (stream, 1);
                AtomicFile.WriteAllText(lockPath + ".owner", Owner());
                return new RunLock(full);
            }
            catch (IOException) when (File.Exists(lockPath))
            {
                holder = File.Exists(lockPath + ".owner") ? File.ReadAllText(lockPath + ".owner").Trim() : "another process";
                if (!HeldByParent(holder)) return null;
                Borrowed[full] = Borrowed.GetValueOrDefault(full) + 1;
                return new RunLock(full);
            }
        }
    }

    /// <summary>
    /// When the parent whose lock this process borrowed has died, its lock is gone: take each borrowed folder's
    /// lock for this process, so no rerun starts the trial while this one is still stopping. False when another
    /// process got there first — then this one must stop without writing another byte into the folder.
    /// </summary>
    public static bool TakeOverBorrowed()
    {
        lock (Held)
        {
            foreach (var (folder, handles) in Borrowed.ToList())
            {
                var lockPath = LockPath(folder);
                try
                {
                    Held[folder] = (new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), handles);
                    AtomicFile.WriteAllText(lockPath + ".owner", Owner());
                    Borrowed.Remove(folder);
                }
                catch (IOException)
                {
                    return false;
                }
            }
            return true;
        }
    }

    private static string LockPath(string folder) =>
        Path.Combine(Path.GetDirectoryName(folder)!, $".{Path.GetFileName(folder)}.lock");

    private static string Owner() => string.Create(CultureInfo.InvariantCulture,
        $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}Z");

    /// <summary>A grid holds its trial's lock while a child process trains it; the child may go ahead.</summary>
    private static bool HeldByParent(string holder) =>
        Switchboard.Current.ParentProcessId is { } parent &&
        holder.StartsWith($"pid {parent} on {Environment.MachineName} ", StringComparison.Ordinal);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (Held)
        {
            if (!Held.TryGetValue(_key, out var held)) return; // the parent's lock, borrowed
            if (held.Count > 1) Held[_key] = held with { Count = held.Count - 1 };
            else
            {
                Held.Remove(_key);
                held.Stream.Dispose(); // the lock file stays: deleting it would let two processes lock two different files
            }
        }
    }
}

/// <summary>A run folder is being trained into by another live process.</summary>
public sealed class RunInUseException(string folder, string holder)
    : IOException($"{folder} is in use by {holder}; wait for it to finish or stop it first");
