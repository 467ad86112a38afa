using System.Buffers.Binary;
using System.Text;

namespace RnnRunner.Core.Engines;

/// <summary>
/// A weight tensor with an engine-neutral name and layout (e.g. <c>model[1].lstm.weight_ih</c>, shape
/// (4·units, input) with gates in Keras/PyTorch order i, f, g, o), so weights move between engines.
/// </summary>
public sealed record NamedTensor(string Name, int[] Shape, float[] Values)
{
    public long Length => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>
    /// <paramref name="given"/> by name, once every tensor a model needs (<paramref name="needed"/>: name and shape)
    /// is there in its shape — the check both engines make before loading weights, with one set of messages.
    /// </summary>
    public static IReadOnlyDictionary<string, NamedTensor> Match(IEnumerable<(string Name, IReadOnlyList<long> Shape)> needed, IReadOnlyList<NamedTensor> given)
    {
        var byName = given.ToDictionary(w => w.Name);
        foreach (var (name, shape) in needed)
        {
            if (!byName.TryGetValue(name, out var w))
                throw new InvalidDataException($"the weights have no tensor '{name}'");
            if (!w.Shape.Select(d => (long)d).SequenceEqual(shape))
                throw new InvalidDataException($"'{name}' has shape ({string.Join(", ", w.Shape)}), the model needs ({string.Join(", ", shape)})");
        }
        return byName;
    }
}

/// <summary>
/// The weights file format: a small self-describing binary (magic, count, then name, rank, dims and
/// little-endian float32 values per tensor). Simple enough for any engine or a Python script to read.
/// </summary>
public static class WeightsFile
{
    private static readonly byte[] Magic = "RNNW0001"u8.ToArray();

    /// <summary>weights.bin: the format above, sealed with a checksum (see <see cref="Storage.SealedFile"/>).</summary>
    public static void Save(string path, IReadOnlyList<NamedTensor> tensors) => Storage.SealedFile.Write(path, s => Write(s, tensors));

    /// <summary>Reads weights.bin after verifying its seal; <see cref="Storage.DamagedFileException"/> if it is damaged.</summary>
    public static IReadOnlyList<NamedTensor> Load(string path)
    {
        using var payload = Storage.SealedFile.Open(path);
        return Read(payload, path);
    }

    public static void Write(Stream stream, IReadOnlyList<NamedTensor> tensors)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(tensors.Count);
        foreach (var t in tensors)
        {
            writer.Write(t.Name);
            writer.Write(t.Shape.Length);
            foreach (var d in t.Shape) writer.Write(d);
            var bytes = new byte[t.Values.Length * sizeof(float)];
            for (var i = 0; i < t.Values.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), t.Values[i]);
            writer.Write(bytes);
        }
    }

    public static IReadOnlyList<NamedTensor> Read(Stream stream, string source)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                throw new InvalidDataException($"{source} is not an RnnRunner weights file");
            var count = reader.ReadInt32();
            var tensors = new List<NamedTensor>(count);
            for (var n = 0; n < count; n++)
            {
                var name = reader.ReadString();
                var shape = new int[reader.ReadInt32()];
                for (var d = 0; d < shape.Length; d++) shape[d] = reader.ReadInt32();
                var length = shape.Aggregate(1L, (a, b) => a * b);
                var bytes = reader.ReadBytes(checked((int)(length * sizeof(float))));
                if (bytes.Length != length * sizeof(float)) throw new EndOfStreamException();
                var values = new float[length];
                for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
                tensors.Add(new NamedTensor(name, shape, values));
            }
            return tensors;
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{source} is truncated");
        }
    }
}
