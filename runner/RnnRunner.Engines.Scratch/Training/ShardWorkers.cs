using System.Runtime.ExceptionServices;
using RnnRunner.Engines.Scratch.Maths;

namespace RnnRunner.Engines.Scratch.Training;

/// <summary>
/// Long-lived threads that each run one shard of a batch. Own threads rather than the thread pool because each
/// sets flush-to-zero once at start (a per-thread processor setting), and a batch's shards must run side by side.
/// </summary>
internal sealed class ShardWorkers : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _start;
    private readonly CountdownEvent _done;
    private Action<int>? _work;
    private int _shards;
    private ExceptionDispatchInfo? _failure;
    private volatile bool _stopping;

    public ShardWorkers(int count)
    {
        Count = Math.Max(1, count);
        _start = Enumerable.Range(0, Count).Select(_ => new SemaphoreSlim(0)).ToArray();
        _done = new CountdownEvent(Count);
        _threads = Enumerable.Range(0, Count).Select(i => new Thread(() => Loop(i))
        {
            IsBackground = true,
            Name = $"scratch-shard-{i}",
        }).ToArray();
        foreach (var t in _threads) t.Start();
        Run(Count, _ => { }); // every worker is up and has set its flags
    }

    public int Count { get; }

    /// <summary>Whether the workers flush subnormal floats to zero (false where the platform cannot).</summary>
    public bool FlushesDenormals { get; private set; }

    /// <summary>Runs <paramref name="work"/>(0 … shards − 1), one shard per worker, and waits for all of them.</summary>
    public void Run(int shards, Action<int> work)
    {
        if (shards > Count) throw new ArgumentOutOfRangeException(nameof(shards));
        (_work, _shards, _failure) = (work, shards, null);
        _done.Reset(Count);
        foreach (var s in _start) s.Release();
        _done.Wait();
        _failure?.Throw();
    }

    private void Loop(int index)
    {
        var flushes = FlushToZero.EnableOnCurrentThread();
        if (index == 0) FlushesDenormals = flushes;
        while (true)
        {
            _start[index].Wait();
            if (_stopping) return;
            try
            {
                if (index < _shards) _work!(index);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
            }
            finally
            {
                _done.Signal();
            }
        }
    }

    public void Dispose()
    {
        if (_stopping) return;
        _stopping = true;
        foreach (var s in _start) s.Release();
        foreach (var t in _threads) t.Join();
        foreach (var s in _start) s.Dispose();
        _done.Dispose();
    }
}
