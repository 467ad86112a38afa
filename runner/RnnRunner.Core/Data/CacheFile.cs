using System.Text;
using RnnRunner.Core.Storage;

namespace RnnRunner.Core.Data;

/// <summary>
/// How every data cache (tokens, prepared examples, parsed series) meets the disk: entries are sealed
/// (<see cref="SealedFile"/>) and written atomically; a cache that cannot be written only costs speed next time, and
/// an entry that cannot be read back — damaged, truncated, from an older layout, or holding values a checked reader
/// refuses — is deleted with a warning, so the caller prepares the data again and the bad entry never reaches training.
/// </summary>
public static class CacheFile
{
    /// <param name="what">Names the cache in warnings ("token cache").</param>
    public static void TryWrite(string path, string what, Action<BinaryWriter> write)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            SealedFile.Write(path, stream =>
            {
                using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
                write(writer);
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Serilog.Log.Warning("Could not write the {Cache} {Path}: {Message}", what, path, e.Message);
        }
    }

    /// <summary>What <paramref name="read"/> makes of the entry, or default when there is no usable entry (then it is gone).</summary>
    /// <param name="read">Parses the payload; throws <see cref="InvalidDataException"/> (or any reader error) for what it refuses.</param>
    public static T? TryRead<T>(string path, string what, Func<BinaryReader, T> read) where T : class
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var payload = SealedFile.Open(path);
            using var reader = new BinaryReader(payload, Encoding.UTF8);
            return read(reader);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException or System.Text.Json.JsonException
                                      or ArgumentException or OverflowException or NotSupportedException)
        {
            Serilog.Log.Warning("{Cache} entry {Path} is unusable ({Message}); discarding it and preparing the data again", what, path, e.Message);
            try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return null;
        }
    }
}
