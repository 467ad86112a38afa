using System.Globalization;
using System.Text.RegularExpressions;
using RnnRunner.Core.Storage;

namespace RnnRunner.Core.Results;

/// <summary>
/// A run's results folder, <c>results/&lt;name&gt;/&lt;NNN&gt;-&lt;UTC timestamp&gt;/</c>: numbered, never reused, and
/// allocated safely when several runs start at once. Knows the name of every file a run writes.
/// </summary>
public sealed partial class RunFolder
{
    [GeneratedRegex(@"^(\d{3,})-")]
    private static partial Regex NumberedEntry();

    private RunFolder(string path, int number)
    {
        Path = path;
        Number = number;
    }

    public string Path { get; }
    public int Number { get; }
    public string Id => System.IO.Path.GetFileName(Path);

    public string SpecAsGiven => File("spec.yaml");
    public string SpecResolved => File("spec.resolved.yaml");
    /// <summary>The data signature the model was planned for: a trained model is rebuilt from it, with or without its data.</summary>
    public string DataSignature => File("data-signature.json");
    public string Predictions => File(PredictionsCsv.FileName);
    public string Metrics => File("metrics.csv");
    public string Summary => File("summary.json");
    public string ModelSummary => File("model.txt");
    public string Log => File("log.jsonl");
    public string Weights => File("weights.bin");
    public string Checkpoint => File("checkpoint.bin");
    /// <summary>The checkpoint before the latest, kept as a fallback should the latest be damaged.</summary>
    public string PreviousCheckpoint => File("checkpoint.previous.bin");
    public string Plots => File("plots");
    /// <summary>TensorBoard event files, laid out as Keras' callback does: tensorboard/train and tensorboard/validation.</summary>
    public string TensorBoard => File("tensorboard");
    public string Vocabulary => File("vocabulary.txt");
    public string Preprocessing => File("preprocessing.json");
    /// <summary>The SHA-256s of the plain-text files a trained model is used with (vocabulary, preprocessing), in sha256sum's format.</summary>
    public string Checksums => File("checksums.sha256");

    /// <summary>The most a vocabulary or preprocessing report may be: far beyond any real one (IMDB's vocabulary is 1.6 MB).</summary>
    private const long MaxDataFileBytes = 256L << 20;

    /// <summary>Records the current vocabulary and preprocessing report (those present) in <see cref="Checksums"/>.</summary>
    public void RecordDataFileChecksums() =>
        ChecksumList.Record(Checksums, new[] { Vocabulary, Preprocessing }.Where(System.IO.File.Exists));

    /// <summary>The text of the vocabulary or preprocessing report, verified against <see cref="Checksums"/>.</summary>
    public string ReadDataFile(string path) => ChecksumList.ReadVerifiedText(Checksums, path, MaxDataFileBytes);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Creates (or empties) a folder at an exact path, e.g. a grid trial's.</summary>
    /// <remarks>
    /// What it empties is only ever a run that may be redone — one that failed, diverged or never got going (a grid's
    /// or study's trial). A completed run, or a folder that is no run at all, is refused
    /// (<see cref="FolderNotReplaceableException"/>): <c>run --into</c> must not silently replace a trained model or
    /// wipe a user's folder.
    /// </remarks>
    public static RunFolder CreateAt(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var existing = At(full);
            if (Directory.EnumerateFileSystemEntries(full).Any() && !System.IO.File.Exists(existing.Summary) && !System.IO.File.Exists(existing.SpecAsGiven))
                throw new FolderNotReplaceableException($"{path}: is not a run folder (no summary.json or spec.yaml) and is not empty; --into takes a new folder or a failed run's");
            if (RunSummary.TryRead(existing.Summary, out _)?.Status == RunStatus.Completed)
                throw new FolderNotReplaceableException($"{path}: holds a completed run, which --into would replace; run into a new folder (or delete it yourself)");
            Directory.Delete(full, recursive: true);
        }
        Directory.CreateDirectory(full);
        return new RunFolder(full, 0);
    }

    /// <summary>A run folder's file names at <paramref name="path"/>, whether or not it exists yet (a grid's trial).</summary>
    public static RunFolder At(string path) => new(System.IO.Path.GetFullPath(path), 0);

    /// <summary>Opens an existing run folder (for predict, resume, compare).</summary>
    public static RunFolder Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"{path}: no such run folder");
        var match = NumberedEntry().Match(System.IO.Path.GetFileName(full));
        return new RunFolder(full, match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
    }

    /// <summary>
    /// The latest folder under <paramref name="parent"/> (by its NNN-timestamp name) that <paramref name="isSame"/>
    /// accepts — a grid's or study's folder with the same identity, to continue — else a newly allocated one.
    /// </summary>
    public static string LatestOrAllocate(string parent, Func<string, bool> isSame, DateTime utcNow)
    {
        var latest = Directory.Exists(parent)
            ? Directory.GetDirectories(parent).Order(StringComparer.Ordinal).Reverse().FirstOrDefault(isSame)
            : null;
        return latest ?? Allocate(parent, utcNow).Path;
    }

    /// <summary>
    /// Claims the next free number under <paramref name="parent"/> and creates its folder. The claim is an
    /// exclusive create of <c>.claims/NNN</c> — atomic on every file system — so two processes never get the same
    /// number even if they scan at the same instant; the loser simply tries the next number.
    /// </summary>
    public static RunFolder Allocate(string parent, DateTime utcNow)
    {
        var claims = System.IO.Path.Combine(parent, ".claims");
        Directory.CreateDirectory(claims);
        var next = HighestNumber(parent, claims) + 1;
        for (var attempt = 0; attempt < 10_000; attempt++, next++)
        {
            try
            {
                using (new FileStream(System.IO.Path.Combine(claims, next.ToString("D3", CultureInfo.InvariantCulture)),
                           FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
            }
            catch (IOException) when (System.IO.File.Exists(System.IO.Path.Combine(claims, next.ToString("D3", CultureInfo.InvariantCulture))))
            {
                continue;
            }
            var name = $"{next:D3}-{utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
            var path = System.IO.Path.Combine(parent, name);
            Directory.CreateDirectory(path);
            return new RunFolder(System.IO.Path.GetFullPath(path), next);
        }
        throw new IOException($"could not allocate a run folder under {parent}");
    }

    private static int HighestNumber(string parent, string claims)
    {
        var numbers = Directory.EnumerateFileSystemEntries(parent).Select(System.IO.Path.GetFileName)
            .Concat(Directory.EnumerateFiles(claims).Select(f => System.IO.Path.GetFileName(f) + "-"))
            .Select(n => NumberedEntry().Match(n!))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        return numbers.DefaultIfEmpty(0).Max();
    }
}

/// <summary>A folder asked to take a new run holds something that must not be replaced (a completed run, or no run at all).</summary>
public sealed class FolderNotReplaceableException(string message) : IOException(message);
