using System.Security.Cryptography;
using System.Text;

namespace RnnRunner.Core.Storage;

/// <summary>
/// Plain-text files RnnRunner reads back to use a trained model (a run's vocabulary.txt and preprocessing.json) stay
/// plain text for people and other tools, so they cannot carry a seal of their own as binary files do
/// (<see cref="SealedFile"/>). Their SHA-256s are kept beside them in a list in <c>sha256sum</c>'s format
/// (<c>sha256sum -c checksums.sha256</c> checks them by hand), and every read goes through <see cref="ReadVerified"/>:
/// one edited digit of a mean or two swapped vocabulary lines is damage, never a silently different prediction.
/// </summary>
public static class ChecksumList
{
    /// <summary>Records the current contents of <paramref name="files"/> (in the list's folder) in the list at <paramref name="listPath"/>.</summary>
    public static void Record(string listPath, IEnumerable<string> files)
    {
        var entries = Read(listPath) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files) entries[Path.GetFileName(file)] = HashOf(File.ReadAllBytes(file));
        AtomicFile.WriteAllText(listPath, string.Concat(entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Value}  {e.Key}\n")));
    }

    /// <summary>
    /// The bytes of <paramref name="path"/>, verified against the list at <paramref name="listPath"/> in the same folder.
    /// A folder without a list predates checksums and is read as it is; a list that does not name the file, or names
    /// another hash, is <see cref="DamagedFileException"/>.
    /// </summary>
    public static byte[] ReadVerified(string listPath, string path, long maxBytes)
    {
        var bytes = BoundedRead.AllBytes(path, maxBytes, Path.GetFileName(path));
        if (Read(listPath) is not { } entries) return bytes;
        if (!entries.TryGetValue(Path.GetFileName(path), out var expected))
            throw new DamagedFileException(path, $"{Path.GetFileName(listPath)} does not list it");
        if (HashOf(bytes) != expected)
            throw new DamagedFileException(path, $"it was changed after the run wrote it (its SHA-256 differs from {Path.GetFileName(listPath)})");
        return bytes;
    }

    public static string ReadVerifiedText(string listPath, string path, long maxBytes) =>
        new UTF8Encoding(false).GetString(ReadVerified(listPath, path, maxBytes));

    private static Dictionary<string, string>? Read(string listPath)
    {
        if (!File.Exists(listPath)) return null;
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = Encoding.UTF8.GetString(BoundedRead.AllBytes(listPath, 1 << 20, "a checksum list")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines)
        {
            var parts = line.Split("  ", 2);
            if (parts.Length != 2 || parts[0].Length != 64 || !parts[0].All(Uri.IsHexDigit))
                throw new DamagedFileException(listPath, $"'{line}' is not a sha256sum line");
            entries[parts[1]] = parts[0];
        }
        return entries;
    }

    private static string HashOf(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
