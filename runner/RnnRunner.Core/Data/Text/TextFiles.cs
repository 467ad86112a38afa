using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using RnnRunner.Core.Storage;

namespace RnnRunner.Core.Data.Text;

/// <summary>One .txt file of a text folder: its path inside the folder or archive ('/'-separated) and its text.</summary>
public sealed record TextFile(string Path, string Text);

/// <summary>
/// The .txt files of a folder, a .tar.gz/.tgz or a .zip, read in place (an archive is streamed, never extracted).
/// Text is UTF-8 with a byte-order mark tolerated; bytes that are not UTF-8 become U+FFFD, as the IMDB loader reads
/// them, so text_folder on the IMDB archive gives exactly IMDB's ids.
/// </summary>
public static class TextFiles
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The most one text file may hold (16 MiB): IMDB's longest review is 14 KB. A larger member is refused by name before it is inflated.</summary>
    public const long MaxTextFileBytes = 16 << 20;

    /// <summary>The most all the texts of one source may hold together (4 GiB), whatever an archive's entries declare.</summary>
    public const long MaxTotalBytes = 4L << 30;

    public static bool IsArchive(string path) => !Directory.Exists(path) && (IsTarGz(path) || IsZip(path));

    private static bool IsTarGz(string path) =>
        path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase);

    private static bool IsZip(string path) => path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    /// <summary>Every .txt file's path, without reading the texts (an archive's entries are still decompressed to be listed).</summary>
    public static IReadOnlyList<string> List(string source, CancellationToken cancellation = default) =>
        Read(source, cancellation, readText: false).Select(f => f.Path).ToList();

    /// <summary>Every .txt file with its text, in the order the folder or archive holds them.</summary>
    public static IEnumerable<TextFile> ReadAll(string source, CancellationToken cancellation = default) => Read(source, cancellation, readText: true);

    private static IEnumerable<TextFile> Read(string source, CancellationToken cancellation, bool readText)
    {
        if (Directory.Exists(source)) return ReadFolder(source, cancellation, readText);
        if (!File.Exists(source)) throw new DatasetException($"{source}: no such file or folder");
        if (IsTarGz(source)) return Guard(source, ReadTarGz(source, cancellation, readText));
        if (IsZip(source)) return Guard(source, ReadZip(source, cancellation, readText));
        throw new DatasetException($"{source}: not a folder, .tar.gz, .tgz or .zip");
    }

    private static IEnumerable<TextFile> ReadFolder(string root, CancellationToken cancellation, bool readText)
    {
        var total = 0L;
        List<string> files;
        try { files = FolderWalk.Files(root, "*.txt").Order(StringComparer.Ordinal).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DatasetException(e.Message, e);
        }
        foreach (var file in files)
        {
            cancellation.ThrowIfCancellationRequested();
            var relative = CheckedName(root, Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/'));
            string text;
            try
            {
                total += CheckedSize(root, relative, new FileInfo(file).Length, total);
                text = readText ? Decode(Inflated(File.OpenRead(file), root, relative)) : "";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DatasetException($"{file}: cannot be read ({e.Message})", e);
            }
            yield return new TextFile(relative, text);
        }
    }

    private static IEnumerable<TextFile> ReadTarGz(string path, CancellationToken cancellation, bool readText)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var buffer = new byte[64 * 1024];
        var total = 0L;
        while (tar.GetNextEntry() is { } entry)
        {
            cancellation.ThrowIfCancellationRequested();
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
            if (!entry.Name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)) continue;
            var name = CheckedName(path, entry.Name);
            total += CheckedSize(path, name, entry.Length, total);
            var text = "";
            if (readText)
            {
                var length = (int)entry.Length;
                if (buffer.Length < length) buffer = new byte[length];
                entry.DataStream.ReadExactly(buffer, 0, length);
                text = Decode(buffer.AsSpan(0, length));
            }
            yield return new TextFile(name, text);
        }
    }

    private static IEnumerable<TextFile> ReadZip(string path, CancellationToken cancellation, bool readText)
    {
        using var zip = ZipFile.OpenRead(path);
        var total = 0L;
        foreach (var entry in zip.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            cancellation.ThrowIfCancellationRequested();
            if (!entry.FullName.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)) continue;
            var name = CheckedName(path, entry.FullName.Replace('\\', '/'));
            total += CheckedSize(path, name, entry.Length, total);
            // The declared size may lie: what is inflated is bounded again as it is read.
            var text = readText ? Decode(Inflated(entry.Open(), path, name)) : "";
            yield return new TextFile(name, text);
        }
    }

    /// <summary>A damaged archive is one clear error naming it, wherever in the stream the damage is met.</summary>
    private static IEnumerable<TextFile> Guard(string path, IEnumerable<TextFile> files)
    {
        using var e = files.GetEnumerator();
        while (true)
        {
            try
            {
                if (!e.MoveNext()) yield break;
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or FormatException or IOException or UnauthorizedAccessException)
            {
                throw new DatasetException($"{path}: the archive is damaged or not a {(IsZip(path) ? ".zip" : ".tar.gz")} ({ex.Message})", ex);
            }
            yield return e.Current;
        }
    }

    /// <summary>
    /// A member's path, as the layout reads it: a leading "./" dropped; a path that leaves the archive ("..", an
    /// absolute path) or whose name is not UTF-8 is refused, never normalised into a class of its own or dropped.
    /// </summary>
    private static string CheckedName(string source, string name)
    {
        var relative = name;
        while (relative.StartsWith("./", StringComparison.Ordinal)) relative = relative[2..];
        if (relative.StartsWith('/') || relative.Split('/').Any(part => part is ".." or ""))
            throw new DatasetException($"{source}: holds '{name}', a path outside the folder ('..', an absolute path or an empty part); refusing the archive");
        if (relative.Contains('\uFFFD'))
            throw new DatasetException($"{source}: holds '{name}', a name that is not UTF-8; rename it (class names are folder names)");
        return relative;
    }

    /// <summary>The member's size, checked against the limits for one text and for all of them (<paramref name="total"/> so far).</summary>
    private static long CheckedSize(string source, string name, long length, long total)
    {
        if (length > MaxTextFileBytes)
            throw new DatasetException($"{source}: '{name}' inflates to {length:N0} bytes, more than the {MaxTextFileBytes:N0} one text may be");
        if (total + length > MaxTotalBytes)
            throw new DatasetException($"{source}: its texts inflate to more than {MaxTotalBytes:N0} bytes (at '{name}'), more than RnnRunner reads from one source");
        return length;
    }

    /// <summary>A member's bytes, at most <see cref="MaxTextFileBytes"/> whatever its header declared.</summary>
    private static byte[] Inflated(Stream stream, string source, string name)
    {
        using (stream)
        {
            try
            {
                return BoundedRead.AllBytes(stream, MaxTextFileBytes, $"{source}: '{name}'", "one text");
            }
            catch (TooLargeException e)
            {
                throw new DatasetException(e.Message, e);
            }
        }
    }

    private static string Decode(ReadOnlySpan<byte> bytes) =>
        Utf8.GetString(bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes[3..] : bytes);
}
