using System.Security.Cryptography;
using System.Text;
using RnnRunner.Core.Storage;

namespace RnnRunner.Core.Data;

/// <summary>What a dataset's token cache is keyed by, with its settings: the content of the files it came from.</summary>
public static class SourceFingerprint
{
    /// <summary>
    /// A content fingerprint of a dataset's source: an archive's SHA-256 (memoised in the cache by the archive's path,
    /// size and modification time, so it is hashed once), or for an extracted folder a hash of every text file's path,
    /// size and modification time.
    /// </summary>
    public static string Of(string source, string cacheRoot, CancellationToken cancellation = default)
    {
        if (Directory.Exists(source))
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var file in FolderWalk.Files(source, "*.txt").Order(StringComparer.Ordinal))
            {
                var info = new FileInfo(file);
                hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetRelativePath(source, file)}|{info.Length}|{info.LastWriteTimeUtc.Ticks}\n"));
            }
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }

        var archive = new FileInfo(source);
        var memoKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{archive.FullName}|{archive.Length}|{archive.LastWriteTimeUtc.Ticks}")))[..24];
        var memo = Path.Combine(cacheRoot, "fingerprints", $"{memoKey}.sha256");
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
