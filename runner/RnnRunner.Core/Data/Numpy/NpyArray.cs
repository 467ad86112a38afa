namespace RnnRunner.Core.Data.Numpy;

/// <summary>What an array holds, in the subset RnnRunner reads.</summary>
public enum NpyKind { Integer, Float, ObjectLists }

/// <summary>
/// An array read from a .npy file (or one member of a .npz): its shape and its values, flat in C order — integers
/// (any signed or unsigned width, and booleans) as longs, floats as doubles, or for an object array of integer lists
/// (Keras' imdb.npz) one list per element.
/// </summary>
public sealed record NpyArray(string Name, IReadOnlyList<long> Shape, NpyKind Kind, long[]? Integers, double[]? Floats, long[][]? Lists)
{
    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The first dimension: examples.</summary>
    public int Length => Shape.Count == 0 ? 1 : checked((int)Shape[0]);

    public string Describe() => $"{Name} ({Kind switch { NpyKind.ObjectLists => "object lists", NpyKind.Float => "float", _ => "integer" }}, shape ({string.Join(", ", Shape)}{(Shape.Count == 1 ? "," : "")}))";

    /// <summary>Example <paramref name="n"/>'s values as integers: a row of an (N, T) array, or an object array's list.</summary>
    public ReadOnlySpan<long> IntegerRow(int n)
    {
        if (Lists is not null) return Lists[n];
        var width = (int)(Count / Math.Max(1, Length));
        return Integers.AsSpan(n * width, width);
    }
}
