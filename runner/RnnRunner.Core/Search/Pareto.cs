namespace RnnRunner.Core.Search;

/// <summary>
/// Pareto dominance over points of oriented objectives (lower is better in each): which points no other beats, the
/// fronts of a non-dominated sort, crowding distances and the two-objective hypervolume. One place for what NSGA-II
/// selects by, what a multi-objective report calls its front, and what <c>bench search</c> scores.
/// </summary>
public static class Pareto
{
    /// <summary>Whether <paramref name="a"/> is at least as good as <paramref name="b"/> everywhere and better somewhere.</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var better = false;
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] > b[i]) return false;
            better |= a[i] < b[i];
        }
        return better;
    }

    /// <summary>Each point's front (0: none dominates it; 1: only points of front 0 do; …), Deb's fast non-dominated sort.</summary>
    public static int[] Fronts(IReadOnlyList<IReadOnlyList<double>> points)
    {
        var n = points.Count;
        var dominatedBy = new int[n];
        var dominates = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                if (Dominates(points[i], points[j])) { dominates[i].Add(j); dominatedBy[j]++; }
                else if (Dominates(points[j], points[i])) { dominates[j].Add(i); dominatedBy[i]++; }
            }
        var front = new int[n];
        var current = Enumerable.Range(0, n).Where(i => dominatedBy[i] == 0).ToList();
        for (var rank = 0; current.Count > 0; rank++)
        {
            var next = new List<int>();
            foreach (var i in current)
            {
                front[i] = rank;
                foreach (var j in dominates[i])
                    if (--dominatedBy[j] == 0) next.Add(j);
            }
            current = next;
        }
        return front;
    }

    /// <summary>
    /// Crowding distance of each point within its own front: the sum over objectives of the normalised gap between its
    /// neighbours; a front's extremes get infinity, so selection keeps the front's spread.
    /// </summary>
    public static double[] Crowding(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<int> fronts)
    {
        var distance = new double[points.Count];
        foreach (var members in Enumerable.Range(0, points.Count).GroupBy(i => fronts[i]))
        {
            var list = members.ToList();
            for (var m = 0; m < points[list[0]].Count; m++)
            {
                var sorted = list.OrderBy(i => points[i][m]).ThenBy(i => i).ToList();
                var (low, high) = (points[sorted[0]][m], points[sorted[^1]][m]);
                distance[sorted[0]] = distance[sorted[^1]] = double.PositiveInfinity;
                if (high <= low) continue;
                for (var k = 1; k < sorted.Count - 1; k++)
                    distance[sorted[k]] += (points[sorted[k + 1]][m] - points[sorted[k - 1]][m]) / (high - low);
            }
        }
        return distance;
    }

    /// <summary>
    /// The area two-objective points dominate up to <paramref name="reference"/> (both minimised): the usual score of a
    /// front, larger is better. Points beyond the reference add nothing.
    /// </summary>
    public static double Hypervolume2D(IEnumerable<(double F1, double F2)> points, (double F1, double F2) reference)
    {
        var area = 0.0;
        var ceiling = reference.F2;
        foreach (var (f1, f2) in points.Where(p => p.F1 < reference.F1 && p.F2 < reference.F2).OrderBy(p => p.F1).ThenBy(p => p.F2))
        {
            if (f2 >= ceiling) continue;
            area += (reference.F1 - f1) * (ceiling - f2);
            ceiling = f2;
        }
        return area;
    }
}
