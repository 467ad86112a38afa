namespace RnnRunner.Engines.Scratch.Layers;

/// <summary>A trainable tensor with its portable name and libtorch's layout (see <c>NamedTensor</c>).</summary>
internal sealed class Parameter<T>(string name, params int[] shape)
{
    public string Name { get; } = name;
    public int[] Shape { get; } = shape;
    public T[] Values { get; } = new T[shape.Aggregate(1, (a, b) => checked(a * b))];
}
