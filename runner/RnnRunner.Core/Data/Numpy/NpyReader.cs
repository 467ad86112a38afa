using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace RnnRunner.Core.Data.Numpy;

/// <summary>
/// Reads NumPy's .npy format (versions 1-3) and .npz archives of them (np.savez, np.savez_compressed), written by
/// the format's documentation (numpy.lib.format): magic, version, a header dict of 'descr', 'fortran_order' and
/// 'shape', then the data. Supported: little- and big-endian signed and unsigned integers of 1-8 bytes, booleans,
/// float16/32/64, C or Fortran order; and object arrays of integer lists as Keras' imdb.npz holds them, read by
/// <see cref="RestrictedUnpickler"/> (no code is ever run). Anything else — strings, structured or complex dtypes,
/// other pickled objects — is refused in one line naming the array and what it holds.
/// </summary>
public static partial class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The most one array may hold (2 GiB, .NET's largest array of bytes): a header or a .npz member declaring more is refused by name.</summary>
    public const long MaxArrayBytes = int.MaxValue;

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex Descr();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranOrder();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeEntry();

    /// <summary>The arrays of a .npz (by member name without ".npy"), or of a .npy (one, named by the file).</summary>
    public static IReadOnlyDictionary<string, NpyArray> ReadAll(string path)
    {
        if (!File.Exists(path)) throw new DatasetException($"{path}: no such file");
        try
        {
            if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
            {
                using var zip = ZipFile.OpenRead(path);
                return zip.Entries.Where(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal)).ToDictionary(
                    e => e.FullName[..^4], e =>
                    {
                        var where = $"{path}:{e.FullName[..^4]}";
                        if (e.Length > MaxArrayBytes)
                            throw new DatasetException($"{where}: inflates to {e.Length:N0} bytes, more than the {MaxArrayBytes:N0} one array may be");
                        using var stream = e.Open();
                        return Read(stream, where, e.FullName[..^4], e.Length);
                    });
            }
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var name = Path.GetFileNameWithoutExtension(path);
            return new Dictionary<string, NpyArray> { [name] = Read(file, path, name, file.Length) };
        }
        catch (InvalidDataException e)
        {
            throw new DatasetException($"{path}: not a .npz archive ({e.Message})", e);
        }
    }

    /// <param name="where">The file (and member) for errors.</param>
    /// <param name="length">The bytes the file (or member) holds: a header declaring more data than that is refused before anything is allocated.</param>
    public static NpyArray Read(Stream stream, string where, string name, long length)
    {
        try
        {
            var (descr, fortran, shape) = ReadHeader(stream, where);
            if (shape.Any(d => d < 0)) throw new DatasetException($"{where}: shape ({string.Join(", ", shape)}) has a negative size");
            if (descr is "|O" or "O")
            {
                if (shape.Count != 1) throw new DatasetException($"{where}: an object array of shape ({string.Join(", ", shape)}); only 1-D arrays of lists are read");
                var lists = RestrictedUnpickler.ReadIntegerLists(stream, where);
                if (lists.Length != shape[0]) throw new DatasetException($"{where}: holds {lists.Length} lists; its header says {shape[0]}");
                return new NpyArray(name, shape, NpyKind.ObjectLists, null, null, lists);
            }
            var (kind, size, bigEndian, unsigned, isFloat) = ParseDescr(descr, where);
            var count = shape.Aggregate(1.0, (a, b) => a * b);
            if (count * size > Math.Min(length, MaxArrayBytes))
                throw new DatasetException(string.Create(CultureInfo.InvariantCulture,
                    $"{where}: its header declares shape ({string.Join(", ", shape)}), {count * size:N0} bytes of data, but it holds {length:N0} bytes{(count * size > MaxArrayBytes ? $" (and one array may be at most {MaxArrayBytes:N0})" : "")}"));
            var bytes = new byte[(long)count * size];
            stream.ReadExactly(bytes);
            return isFloat
                ? new NpyArray(name, shape, NpyKind.Float, null, Reorder(ReadFloats(bytes, size, bigEndian), shape, fortran), null)
                : new NpyArray(name, shape, NpyKind.Integer, Reorder(ReadIntegers(bytes, size, bigEndian, unsigned), shape, fortran), null, null);
        }
        catch (EndOfStreamException)
        {
            throw new DatasetException($"{where}: ends before its data does (a truncated .npy)");
        }
    }

    private static (string Descr, bool Fortran, List<long> Shape) ReadHeader(Stream stream, string where)
    {
        var prefix = new byte[8];
        stream.ReadExactly(prefix);
        if (!prefix.AsSpan(0, 6).SequenceEqual(Magic)) throw new DatasetException($"{where}: not a .npy array (no \\x93NUMPY magic)");
        var major = prefix[6];
        if (major is < 1 or > 3) throw new DatasetException($"{where}: .npy format version {major}.{prefix[7]} is not one RnnRunner reads (1-3)");
        var lengthBytes = new byte[major == 1 ? 2 : 4];
        stream.ReadExactly(lengthBytes);
        var length = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (length > 1 << 20) throw new DatasetException($"{where}: a header of {length:N0} bytes; not a .npy array");
        var header = new byte[length];
        stream.ReadExactly(header);
        var text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(header);
        var descr = Descr().Match(text);
        var fortran = FortranOrder().Match(text);
        var shape = ShapeEntry().Match(text);
        if (!descr.Success || !fortran.Success || !shape.Success) throw new DatasetException($"{where}: its header is not a .npy header ({text.Trim()})");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.TryParse(d.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
                : throw new DatasetException($"{where}: shape ({shape.Groups[1].Value}) is not a list of sizes")).ToList();
        return (descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims);
    }

    private static (NpyKind Kind, int Size, bool BigEndian, bool Unsigned, bool IsFloat) ParseDescr(string descr, string where)
    {
        var order = descr[0];
        var code = descr.Length > 1 && order is '<' or '>' or '|' or '=' ? descr[1..] : descr;
        var bigEndian = order == '>';
        if (code.Length >= 2 && int.TryParse(code[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            switch (code[0])
            {
                case 'i' when size is 1 or 2 or 4 or 8: return (NpyKind.Integer, size, bigEndian, false, false);
                case 'u' when size is 1 or 2 or 4 or 8: return (NpyKind.Integer, size, bigEndian, true, false);
                case 'b' when size == 1: return (NpyKind.Integer, 1, false, true, false);
                case 'f' when size is 2 or 4 or 8: return (NpyKind.Float, size, bigEndian, false, true);
            }
        }
        if (code == "?") return (NpyKind.Integer, 1, false, true, false);
        throw new DatasetException($"{where}: dtype '{descr}' is not one RnnRunner reads (integers, booleans, floats, or object arrays of integer lists)");
    }

    private static long[] ReadIntegers(byte[] bytes, int size, bool bigEndian, bool unsigned)
    {
        var values = new long[bytes.Length / size];
        for (var i = 0; i < values.Length; i++)
        {
            var b = bytes.AsSpan(i * size, size);
            values[i] = (size, unsigned, bigEndian) switch
            {
                (1, false, _) => (sbyte)b[0],
                (1, true, _) => b[0],
                (2, false, false) => BinaryPrimitives.ReadInt16LittleEndian(b),
                (2, false, true) => BinaryPrimitives.ReadInt16BigEndian(b),
                (2, true, false) => BinaryPrimitives.ReadUInt16LittleEndian(b),
                (2, true, true) => BinaryPrimitives.ReadUInt16BigEndian(b),
                (4, false, false) => BinaryPrimitives.ReadInt32LittleEndian(b),
                (4, false, true) => BinaryPrimitives.ReadInt32BigEndian(b),
                (4, true, false) => BinaryPrimitives.ReadUInt32LittleEndian(b),
                (4, true, true) => BinaryPrimitives.ReadUInt32BigEndian(b),
                (8, false, false) => BinaryPrimitives.ReadInt64LittleEndian(b),
                (8, false, true) => BinaryPrimitives.ReadInt64BigEndian(b),
                (8, true, false) => checked((long)BinaryPrimitives.ReadUInt64LittleEndian(b)),
                _ => checked((long)BinaryPrimitives.ReadUInt64BigEndian(b)),
            };
        }
        return values;
    }

    private static double[] ReadFloats(byte[] bytes, int size, bool bigEndian)
    {
        var values = new double[bytes.Length / size];
        for (var i = 0; i < values.Length; i++)
        {
            var b = bytes.AsSpan(i * size, size);
            values[i] = (size, bigEndian) switch
            {
                (2, false) => (double)BinaryPrimitives.ReadHalfLittleEndian(b),
                (2, true) => (double)BinaryPrimitives.ReadHalfBigEndian(b),
                (4, false) => BinaryPrimitives.ReadSingleLittleEndian(b),
                (4, true) => BinaryPrimitives.ReadSingleBigEndian(b),
                (8, false) => BinaryPrimitives.ReadDoubleLittleEndian(b),
                _ => BinaryPrimitives.ReadDoubleBigEndian(b),
            };
        }
        return values;
    }

    /// <summary>Fortran-ordered (column-major) data rearranged into C order; C-ordered data as it is.</summary>
    private static T[] Reorder<T>(T[] values, IReadOnlyList<long> shape, bool fortran)
    {
        if (!fortran || shape.Count < 2) return values;
        var dims = shape.Select(d => (int)d).ToArray();
        var result = new T[values.Length];
        var index = new int[dims.Length];
        for (var c = 0; c < values.Length; c++)
        {
            // c walks C order; the same element's Fortran offset has the first index fastest.
            var f = 0;
            for (var d = dims.Length - 1; d >= 0; d--) f = f * dims[d] + index[d];
            result[c] = values[f];
            for (var d = dims.Length - 1; d >= 0 && ++index[d] == dims[d]; d--) index[d] = 0;
        }
        return result;
    }
}
