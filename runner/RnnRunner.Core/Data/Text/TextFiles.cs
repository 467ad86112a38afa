using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

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
        foreach (var file in Directory.EnumerateFiles(root, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancellation.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            string text;
            try { text = readText ? Decode(File.ReadAllBytes(file)) : ""; }
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
        while (tar.GetNextEntry() is { } entry)
        {
            cancellation.ThrowIfCancellationRequested();
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
            if (!entry.Name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)) continue;
            var text = "";
            if (readText)
            {
                var length = checked((int)entry.Length);
                if (buffer.Length < length) buffer = new byte[length];
                entry.DataStream.ReadExactly(buffer, 0, length);
                text = Decode(buffer.AsSpan(0, length));
            }
            yield return new TextFile(entry.Name.TrimStart('.', '/'), text);
        }
    }

    private static IEnumerable<TextFile> ReadZip(string path, CancellationToken cancellation, bool readText)
    {
        using var zip = ZipFile.OpenRead(path);
        foreach (var entry in zip.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            cancellation.ThrowIfCancellationRequested();
            if (!entry.FullName.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)) continue;
            var text = "";
            if (readText)
            {
                using var stream = entry.Open();
                using var bytes = new MemoryStream((int)Math.Min(entry.Length, int.MaxValue));
                stream.CopyTo(bytes);
                text = Decode(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
            }
            yield return new TextFile(entry.FullName.Replace('\\', '/'), text);
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

    private static string Decode(ReadOnlySpan<byte> bytes) =>
        Utf8.GetString(bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes[3..] : bytes);
}
