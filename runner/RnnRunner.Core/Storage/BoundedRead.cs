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
}

/// <summary>An input is larger than RnnRunner reads for its purpose.</summary>
public sealed class TooLargeException(string path, long maxBytes, string what)
    : IOException($"{path}: more than {maxBytes:N0} bytes, the most {what} may be");
