using Google.Protobuf;
using Onnx;

namespace RnnRunner.Core.Export;

/// <summary>
/// A small writer for an ONNX graph: nodes with fresh value names, constants and weights as initializers, and the
/// attributes each operator takes. The protobuf messages are OnnxSharp's, generated from the official onnx.proto.
/// </summary>
internal sealed class OnnxGraph
{
    private int _values;

    public GraphProto Proto { get; } = new();

    /// <summary>One node with one output; returns the output's name.</summary>
    public string Add(string op, IEnumerable<string> inputs, params AttributeProto[] attributes) => AddMany(op, inputs, 1, attributes)[0];

    /// <summary>One node with <paramref name="outputs"/> outputs; "" in <paramref name="inputs"/> leaves an optional input out.</summary>
    public string[] AddMany(string op, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = $"{op}_{_values}" };
        node.Input.AddRange(inputs);
        var names = Enumerable.Range(0, outputs).Select(i => $"{op.ToLowerInvariant()}_{_values}" + (i == 0 ? "" : $"_{i}")).ToArray();
        _values++;
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        Proto.Node.Add(node);
        return names;
    }

    /// <summary>The value under a chosen name (a graph output's).</summary>
    public void Identity(string value, string name)
    {
        var node = new NodeProto { OpType = "Identity", Name = $"Identity_{name}" };
        node.Input.Add(value);
        node.Output.Add(name);
        Proto.Node.Add(node);
    }

    /// <summary>A float tensor stored in the file (a weight, or a float constant), under its own name.</summary>
    public string Floats(string name, IReadOnlyList<long> dims, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        Proto.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A constant int64 vector (shapes, axes, indices).</summary>
    public string Longs(params long[] values)
    {
        var tensor = new TensorProto { Name = $"const_{_values++}", DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Proto.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A constant float scalar.</summary>
    public string Scalar(float value) => Floats($"const_{_values++}", [], [value]);

    /// <summary>A constant int64 scalar.</summary>
    public string LongScalar(long value)
    {
        var tensor = new TensorProto { Name = $"const_{_values++}", DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Int64Data.Add(value);
        Proto.Initializer.Add(tensor);
        return tensor.Name;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Text(string name, string value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Texts(string name, params string[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(ByteString.CopyFromUtf8));
        return attribute;
    }

    /// <summary>A graph input or output: its element type and dimensions, each a number or a symbolic name ("batch").</summary>
    public static ValueInfoProto Value(string name, TensorProto.Types.DataType type, string doc, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
            shape.Dim.Add(dim is string symbol ? new TensorShapeProto.Types.Dimension { DimParam = symbol } : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture) });
        return new ValueInfoProto
        {
            Name = name,
            DocString = doc,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
