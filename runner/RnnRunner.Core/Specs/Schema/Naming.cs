using System.Text;

namespace RnnRunner.Core.Specs.Schema;

/// <summary>Spec naming conventions: snake_case keys and "did you mean" suggestions.</summary>
public static class Naming
{
    /// <summary><c>ReturnSequences</c> → <c>return_sequences</c>; <c>SimpleRnn</c> → <c>simple_rnn</c>.</summary>
    public static string ToSnakeCase(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>The closest candidate by edit distance, if it is close enough to be a plausible typo.</summary>
    public static string? Suggest(string given, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = EditDistance(given.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (candidate.StartsWith(given, StringComparison.OrdinalIgnoreCase) && given.Length >= 3) d = Math.Min(d, 1);
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        return best is not null && bestDistance <= Math.Max(2, given.Length / 3) ? best : null;
    }

    public static string DidYouMean(string given, IEnumerable<string> candidates) =>
        Suggest(given, candidates) is { } s ? $" (did you mean '{s}'?)" : "";

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
