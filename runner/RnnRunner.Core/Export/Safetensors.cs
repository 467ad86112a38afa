using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using RnnRunner.Core.Engines;

namespace RnnRunner.Core.Export;

/// <summary>
/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and [begin, end) byte range in the data that follows, padded with spaces to a multiple of 8,
/// then the tensors' little-endian bytes back to back in header order. Written here rather than through
/// TorchSharp.PyBridge because export needs no libtorch: float32 tensors in three rules.
/// </summary>
public static class Safetensors
{
    public static void Write(Stream stream, IReadOnlyList<NamedTensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var header = new JsonObject { ["__metadata__"] = new JsonObject([.. metadata.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))]) };
        long offset = 0;
        foreach (var tensor in tensors)
        {
            var bytes = tensor.Length * sizeof(float);
            header[tensor.Name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray([.. tensor.Shape.Select(d => (JsonNode)d)]),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        stream.Write(length);
        stream.Write(json);
        for (var i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors are little-endian; this writer assumes the machine is too");
        foreach (var tensor in tensors) stream.Write(MemoryMarshal.AsBytes(tensor.Values.AsSpan()));
    }

    /// <summary>Every tensor of a safetensors file (float32 only), with the header's metadata.</summary>
    public static IReadOnlyList<NamedTensor> Read(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8) throw new InvalidDataException($"{path}: too short for safetensors");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (length > (ulong)bytes.Length - 8) throw new InvalidDataException($"{path}: header length {length} runs past the file");
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)length))!.AsObject();
        var data = 8 + (int)length;
        var tensors = new List<NamedTensor>();
        metadata = new Dictionary<string, string>();
        foreach (var (name, entry) in header)
        {
            if (name == "__metadata__")
            {
                metadata = entry!.AsObject().ToDictionary(m => m.Key, m => (string)m.Value!);
                continue;
            }
            if ((string?)entry!["dtype"] != "F32") throw new InvalidDataException($"{path}: {name} is {(string?)entry["dtype"]}; only F32 is read");
            var (begin, end) = ((long)entry["data_offsets"]![0]!, (long)entry["data_offsets"]![1]!);
            var values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(data + (int)begin, (int)(end - begin))).ToArray();
            tensors.Add(new NamedTensor(name, [.. entry["shape"]!.AsArray().Select(d => (int)d!)], values));
        }
        return tensors;
    }
}
