using System.Numerics;
using System.Numerics.Tensors;

namespace RnnRunner.Engines.Scratch.Layers;

/// <summary>Gathers along time by an index map, and the transpose: the adjoint scatter-add used on the way back.</summary>
internal static class TimeGather
{
    /// <summary>target[t, b] = source[map[t, b], b], or zeros where the map says −1. Target has map.Length / batch steps.</summary>
    public static void Gather<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> map, Span<T> target, int batch, int features)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < map.Length; i++)
        {
            var row = target.Slice(i * features, features);
            var b = i % batch;
            if (map[i] < 0) row.Clear();
            else source.Slice((map[i] * batch + b) * features, features).CopyTo(row);
        }
    }

    /// <summary>source[map[t, b], b] += target[t, b]: the gradient of <see cref="Gather{T}"/>.</summary>
    public static void ScatterAdd<T>(ReadOnlySpan<T> targetGradient, ReadOnlySpan<int> map, Span<T> sourceGradient, int batch, int features)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < map.Length; i++)
        {
            if (map[i] < 0) continue;
            var into = sourceGradient.Slice((map[i] * batch + i % batch) * features, features);
            TensorPrimitives.Add(into, targetGradient.Slice(i * features, features), into);
        }
    }
}
