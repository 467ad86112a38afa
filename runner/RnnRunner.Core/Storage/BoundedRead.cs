namespace RnnRunner.Core.Storage;

/// <summary>
/// Reads a whole file of bounded size, counting the bytes actually read rather than trusting the reported length
/// (0 for /dev/zero, a pipe or a FIFO), so an endless input is refused after <c>maxBytes</c>, not after the memory runs out.
/// A FIFO is opened once; what it held is what this returns.
/// </summary>
public static class BoundedRead
{
    public static byte[] AllBytes(string path, long maxBytes, string what)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
        return AllBytes(stream, maxBytes, path, what);
    }

    /// <summary>The rest of <paramref name="stream"/> (an archive member whose declared size may lie), refused past <paramref name="maxBytes"/>.</summary>
    /// <param name="path">Names the input in the error.</param>
    public static byte[] AllBytes(Stream stream, long maxBytes, string path, string what)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes) throw new TooLargeException(path, maxBytes, what);
        }
        return buffer.ToArray();
    }

    /// <summary>The most one line of an input file may hold (4 Mi characters): far beyond any review or table row.</summary>
    public const int MaxLineChars = 4 << 20;

    /// <summary>
    /// The lines of <paramref name="reader"/> (without their \n or \r\n), refusing a line longer than
    /// <paramref name="maxChars"/> after reading that much of it: a file of one endless line costs a line's memory, not the file's.
    /// </summary>
    public static IEnumerable<string> Lines(TextReader reader, string path, int maxChars = MaxLineChars)
    {
        var line = new System.Text.StringBuilder();
        var buffer = new char[1 << 14];
        var number = 1;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == '\n')
                {
                    yield return EndOf(line);
                    line.Clear();
                    number++;
                    continue;
                }
                line.Append(buffer[i]);
                if (line.Length > maxChars) throw new TooLargeException($"{path}:{number}", maxChars, "one line (in characters)");
            }
        }
        if (line.Length > 0) yield return EndOf(line);
    }

    private static string EndOf(System.Text.StringBuilder line) =>
        line.Length > 0 && line[^1] == '\r' ? line.ToString(0, line.Length - 1) : line.ToString();
}

/// <summary>An input is larger than RnnRunner reads for its purpose.</summary>
public sealed class TooLargeException(string path, long maxBytes, string what)
    : IOException($"{path}: more than {maxBytes:N0} bytes, the most {what} may be");
