using System.Security.Cryptography;

namespace RnnRunner.Core.Storage;

/// <summary>
/// Files RnnRunner reads back (checkpoints, weights, the token cache) end in a seal: <c>RNNSEAL1</c> and the
/// SHA-256 of every byte before it. Reading verifies the seal before a single value is parsed, so a flipped,
/// missing or extra byte is reported as damage instead of being trained on, crashing a parser, or aborting libtorch.
/// The payload before the seal is unchanged, so a reader that stops at its own end (a Python script) still works.
/// </summary>
public static class SealedFile
{
    private static readonly byte[] Magic = "RNNSEAL1"u8.ToArray();
    public const int SealLength = 8 + 32;

    /// <summary>Writes atomically (see <see cref="AtomicFile"/>), sealing what <paramref name="write"/> wrote.</summary>
    /// <param name="keepPreviousAs">If set, the file being replaced is kept under this name (a fallback for damage).</param>
    public static void Write(string path, Action<Stream> write, string? keepPreviousAs = null) =>
        AtomicFile.Write(path, stream =>
        {
            using var hashing = new HashingStream(stream);
            write(hashing);
            stream.Write(Magic);
            stream.Write(hashing.Hash());
        }, keepPreviousAs);

    /// <summary>
    /// The verified payload of a sealed file, in memory; <see cref="DamagedFileException"/> when the seal is missing
    /// or does not match, or the file is larger than <paramref name="maxBytes"/>.
    /// </summary>
    public static MemoryStream Open(string path, long maxBytes = 1L << 31)
    {
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
        {
            if (!stream.CanSeek || stream.Length > maxBytes)
                throw new DamagedFileException(path, stream.CanSeek ? $"{stream.Length:N0} bytes, more than the {maxBytes:N0} expected" : "not a regular file");
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        var payload = bytes.Length - SealLength;
        if (payload < 0 || !bytes.AsSpan(payload, Magic.Length).SequenceEqual(Magic))
            throw new DamagedFileException(path, "its checksum seal is missing: the file was cut short, or written by an older RnnRunner");
        if (!SHA256.HashData(bytes.AsSpan(0, payload)).AsSpan().SequenceEqual(bytes.AsSpan(payload + Magic.Length)))
            throw new DamagedFileException(path, "its checksum does not match its contents");
        return new MemoryStream(bytes, 0, payload, writable: false);
    }

    /// <summary>Passes writes through to the file while hashing them.</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public byte[] Hash() => _hash.GetHashAndReset();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            inner.Write(buffer);
        }

        public override void WriteByte(byte value) => Write([value]);
        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}

/// <summary>A file RnnRunner wrote earlier no longer holds what it wrote (see <see cref="SealedFile"/>).</summary>
public sealed class DamagedFileException(string path, string reason)
    : IOException($"{path} is damaged: {reason}");
