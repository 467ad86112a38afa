using RnnRunner.Core.Storage;
using System.Security.Cryptography;
using System.Text;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Imdb;

/// <summary>
/// Finds the IMDB data: the spec's path, else a known archive or folder in the data root, else the download
/// cache, else a download of the official archive (HTTPS, SHA-256 checked). Also fingerprints the source for
/// the token cache, memoising an archive's SHA-256 by path, size and modification time.
/// </summary>
public static class ImdbLocator
{
    public const string OfficialUrl = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz";
    public const string OfficialSha256 = "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe";
    public const string OfficialFile = "aclImdb_v1.tar.gz";
    /// <summary>The labelled-only repackaging (no train/unsup, no .feat files); same reviews, same layout.</summary>
    public const string LabelledFile = "aclImdb_v1.labeled.tar.gz";

    public static string Locate(ImdbDataSpec spec, DataEnvironment environment, Func<string, string, string, IProgress<DataProgress>?, string>? download = null)
    {
        if (spec.Path is { } given)
        {
            if (File.Exists(given) || Directory.Exists(given)) return Path.GetFullPath(given);
            throw new DatasetException($"{given}: no such file or folder (data.path in the spec)");
        }
        string[] candidates =
        [
            Path.Combine(environment.DataRoot, OfficialFile),
            Path.Combine(environment.DataRoot, LabelledFile),
            Path.Combine(environment.DataRoot, "aclImdb"),
            Path.Combine(environment.CacheRoot, "downloads", OfficialFile),
        ];
        foreach (var candidate in candidates)
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;

        var target = Path.Combine(environment.CacheRoot, "downloads", OfficialFile);
        return (download ?? ArchiveDownloader.Download)(OfficialUrl, OfficialSha256, target, environment.Progress);
    }

    /// <summary>
    /// A content fingerprint of the source: an archive's SHA-256 (memoised beside the token cache), or for an
    /// extracted folder a hash of every review's path, size and modification time.
    /// </summary>
    public static string Fingerprint(string source, string cacheRoot, CancellationToken cancellation = default)
    {
        if (Directory.Exists(source))
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var file in Directory.EnumerateFiles(source, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var info = new FileInfo(file);
                hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetRelativePath(source, file)}|{info.Length}|{info.LastWriteTimeUtc.Ticks}\n"));
            }
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        var archive = new FileInfo(source);
        var memoKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{archive.FullName}|{archive.Length}|{archive.LastWriteTimeUtc.Ticks}")))[..24];
        var memo = Path.Combine(cacheRoot, "imdb", $"{memoKey}.sha256");
        if (File.Exists(memo) && File.ReadAllText(memo).Trim() is { Length: 64 } known) return known;
        var sha = HashFile(source, cancellation);
        Directory.CreateDirectory(Path.GetDirectoryName(memo)!);
        AtomicFile.WriteAllText(memo, sha + "\n");
        return sha;
    }

    /// <summary>SHA-256 of a file in 1 MiB chunks, stopping within a chunk's time (milliseconds) of a cancellation.</summary>
    private static string HashFile(string path, CancellationToken cancellation)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[1 << 20];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            cancellation.ThrowIfCancellationRequested();
            hash.AppendData(chunk, 0, read);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
