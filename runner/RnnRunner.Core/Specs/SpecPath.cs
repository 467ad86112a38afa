namespace RnnRunner.Core.Specs;

/// <summary>Spec paths as grids, studies and <c>--set</c> name them: <c>training.optimizer.learning_rate</c>, <c>model[1].units</c>.</summary>
public static class SpecPath
{
    /// <summary>
    /// Whether two paths name the same setting or one lies inside the other (<c>model[1]</c> and <c>model[1].units</c>):
    /// set together, one silently overwrites the other, so a grid or study would report values that never trained.
    /// </summary>
    public static bool Overlap(string a, string b) => a == b || IsInside(a, b) || IsInside(b, a);

    /// <summary>The first pair of <paramref name="paths"/> that overlap, in their order; null when none do.</summary>
    public static (string Outer, string Inner)? FirstOverlap(IReadOnlyList<string> paths)
    {
        for (var i = 0; i < paths.Count; i++)
            for (var j = i + 1; j < paths.Count; j++)
                if (Overlap(paths[i], paths[j])) return IsInside(paths[i], paths[j]) ? (paths[j], paths[i]) : (paths[i], paths[j]);
        return null;
    }

    private static bool IsInside(string inner, string outer) =>
        inner.Length > outer.Length && inner.StartsWith(outer, StringComparison.Ordinal) && inner[outer.Length] is '.' or '[';
}
