using System.Buffers;

namespace RnnRunner.Core.Data.Text;

/// <summary>
/// Keras' text conventions (Tokenizer / text_to_word_sequence defaults): remove HTML line breaks, lower-case,
/// replace each character of Keras' default filter with a space, split on spaces. The apostrophe is not in the
/// filter, so "don't" stays one word, exactly as in Keras.
/// </summary>
public static class KerasTextTokenizer
{
    /// <summary>Keras' default <c>filters</c>: '!"#$%&amp;()*+,-./:;&lt;=&gt;?@[\]^_`{|}~\t\n'.</summary>
    public const string DefaultFilters = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

    private static readonly SearchValues<char> Filtered = SearchValues.Create(DefaultFilters + "\r ");
    private const string LineBreak = "<br />";

    /// <summary>Calls <paramref name="onWord"/> with each word of <paramref name="text"/>, in order.</summary>
    public static void ForEachWord<TState>(string text, ref TState state, WordAction<TState> onWord)
    {
        var buffer = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var length = Normalise(text, buffer);
            var span = buffer.AsSpan(0, length);
            var start = -1;
            for (var i = 0; i <= span.Length; i++)
            {
                if (i < span.Length && span[i] != ' ')
                {
                    if (start < 0) start = i;
                }
                else if (start >= 0)
                {
                    onWord(span[start..i], ref state);
                    start = -1;
                }
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    public delegate void WordAction<TState>(ReadOnlySpan<char> word, ref TState state);

    /// <summary>The words of <paramref name="text"/> as strings (for tests, predict and tracing).</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        ForEachWord(text, ref words, static (w, ref l) => l.Add(w.ToString()));
        return words;
    }

    /// <summary>Lower-cases, turns "&lt;br /&gt;" and filter characters into spaces; returns the length written.</summary>
    private static int Normalise(string text, char[] output)
    {
        var source = text.AsSpan();
        var n = 0;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '<' && source[i..].StartsWith(LineBreak, StringComparison.OrdinalIgnoreCase))
            {
                output[n++] = ' ';
                i += LineBreak.Length - 1;
                continue;
            }
            output[n++] = Filtered.Contains(c) ? ' ' : char.ToLowerInvariant(c);
        }
        return n;
    }
}
