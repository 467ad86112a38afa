using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnRunner.Core.Search;

/// <summary>What happened to a study, one event per line of its journal.</summary>
public enum JournalEvent
{
    /// <summary>A point was sampled and accepted as trial <c>Trial</c>.</summary>
    Sampled,
    /// <summary>A sampled point the spec refused (never run); <c>Message</c> says why.</summary>
    Refused,
    /// <summary>A worker took a trial to train it up to epoch <c>Epoch</c> (its rung's budget, or all its epochs).</summary>
    Started,
    /// <summary>A trial finished an epoch with objective <c>Value</c>.</summary>
    Reported,
    /// <summary>A trial reached its rung and waits there for promotion.</summary>
    Paused,
    /// <summary>A trial was stopped for good at epoch <c>Epoch</c>.</summary>
    Pruned,
    Completed,
    Failed,
    /// <summary>A trial stopped before its target (the process was interrupted or killed): it resumes from its checkpoint.</summary>
    Interrupted,
}

/// <summary>One journal line. Only the fields its event needs are set.</summary>
public sealed record JournalRecord
{
    public required JournalEvent Event { get; init; }
    public int? Trial { get; init; }
    /// <summary>The sample number the point came from (refused samples count too).</summary>
    public int? Sample { get; init; }
    /// <summary>The point as samplers see it (values; a choice's index).</summary>
    public IReadOnlyList<double>? Point { get; init; }
    /// <summary>The point as the spec sees it: path → value, for people reading the journal.</summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }
    public int? Epoch { get; init; }
    public int? Rung { get; init; }
    public double? Value { get; init; }
    /// <summary>A completed trial of a multi-objective study: every objective's value, in the study's order (null: unknown).</summary>
    public IReadOnlyList<double?>? Values { get; init; }
    public string? Message { get; init; }
    public string? Worker { get; init; }
    public DateTime Utc { get; init; } = DateTime.UtcNow;
}

/// <summary>
/// The study's state as an append-only journal (journal.jsonl in the study folder): every sample, start, epoch,
/// pause, promotion and ending is one JSON line, appended and flushed to disk while the study's lock is held, so any
/// number of worker processes — threads of one <c>--jobs</c>, array tasks on several machines — share one study
/// without a database, on any file system whose <c>flock</c> works (see RunLock). Replaying the lines gives the
/// state. A line cut short by a kill mid-write is ignored when read and cut off by the next writer, so the journal
/// always parses.
/// </summary>
public sealed class StudyJournal(string folder)
{
    public const string FileName = "journal.jsonl";
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
    /// <summary>Threads of one process take the study's lock in turn; the file lock keeps other processes out.</summary>
    private static readonly SemaphoreSlim InProcess = new(1, 1);

    public string Path { get; } = System.IO.Path.Combine(folder, FileName);
    private string LockPath => System.IO.Path.Combine(folder, ".journal.lock");

    /// <summary>Set-aside lines of a repaired journal, kept for a person to read (journal.damaged.jsonl).</summary>
    public string DamagedPath => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "journal.damaged.jsonl");

    /// <summary>Every whole record, in order (a torn last line is left out); <see cref="DamagedJournalException"/> at a line that is not one.</summary>
    public IReadOnlyList<JournalRecord> Read()
    {
        var (records, damaged) = Parse();
        if (damaged.Count > 0)
            throw new DamagedJournalException(string.Create(CultureInfo.InvariantCulture,
                $"{Path}:{damaged[0].Line}: not a journal record ({damaged[0].Problem}){(damaged.Count > 1 ? $", and {damaged.Count - 1} more line(s)" : "")}"));
        return records;
    }

    /// <summary>
    /// Sets the lines that are not journal records aside in <see cref="DamagedPath"/> and keeps the rest, under the
    /// study's lock (the journal is replaced whole, atomically). Returns how many lines were set aside.
    /// </summary>
    public int Repair()
    {
        InProcess.Wait();
        try
        {
            using var fileLock = Storage.FileLock.Wait(LockPath);
            var (records, damaged) = Parse();
            if (damaged.Count == 0) return 0;
            File.AppendAllText(DamagedPath, string.Concat(damaged.Select(d => d.Text + "\n")));
            Storage.AtomicFile.WriteAllText(Path, string.Concat(records.Select(r => JsonSerializer.Serialize(r, Json) + "\n")));
            return damaged.Count;
        }
        finally
        {
            InProcess.Release();
        }
    }

    private (List<JournalRecord> Records, List<(int Line, string Text, string Problem)> Damaged) Parse()
    {
        var records = new List<JournalRecord>();
        var damaged = new List<(int, string, string)>();
        if (!File.Exists(Path)) return (records, damaged);
        var text = File.ReadAllText(Path, Encoding.UTF8);
        var complete = text.LastIndexOf('\n') + 1;
        var line = 0;
        foreach (var row in text[..complete].Split('\n'))
        {
            line++;
            if (row.Length == 0) continue;
            try
            {
                records.Add(JsonSerializer.Deserialize<JournalRecord>(row, Json) ?? throw new JsonException("null"));
            }
            catch (JsonException e)
            {
                damaged.Add((line, row, e.Message.Split(". ")[0]));
            }
        }
        return (records, damaged);
    }

    /// <summary>
    /// Runs <paramref name="decide"/> on the current records while holding the study's lock and appends what it
    /// returns: reading, deciding and recording happen as one step, so two workers never take the same trial.
    /// </summary>
    public T Update<T>(Func<IReadOnlyList<JournalRecord>, (T Result, IReadOnlyList<JournalRecord> Append)> decide)
    {
        InProcess.Wait();
        try
        {
            using var fileLock = Storage.FileLock.Wait(LockPath);
            var (result, append) = decide(Read());
            if (append.Count > 0) Write(append);
            return result;
        }
        finally
        {
            InProcess.Release();
        }
    }

    /// <summary>Appends records under the lock (an epoch report, an ending).</summary>
    public void Append(params JournalRecord[] records) => Update<bool>(_ => (true, records));

    private void Write(IReadOnlyList<JournalRecord> records)
    {
        using var stream = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        CutTornLine(stream);
        stream.Seek(0, SeekOrigin.End);
        var text = string.Concat(records.Select(r => JsonSerializer.Serialize(r, Json) + "\n"));
        stream.Write(Encoding.UTF8.GetBytes(text));
        stream.Flush(flushToDisk: true);
    }

    /// <summary>A writer killed mid-line leaves a line without its newline: it is cut off before anything is appended.</summary>
    private static void CutTornLine(FileStream stream)
    {
        if (stream.Length == 0) return;
        var tail = new byte[Math.Min(stream.Length, 1 << 16)];
        stream.Seek(-tail.Length, SeekOrigin.End);
        stream.ReadExactly(tail);
        if (tail[^1] == (byte)'\n') return;
        var lastNewline = Array.LastIndexOf(tail, (byte)'\n');
        stream.SetLength(lastNewline < 0 && tail.Length == stream.Length ? 0 : stream.Length - tail.Length + lastNewline + 1);
    }
}

/// <summary>A journal line that is not a record (edited by hand, or damaged): the study stops until it is repaired.</summary>
public sealed class DamagedJournalException(string message) : IOException(message);
