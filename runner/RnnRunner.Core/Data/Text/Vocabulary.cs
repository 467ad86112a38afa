using System.Text;

namespace RnnRunner.Core.Data.Text;

/// <summary>
/// Words ranked by how often they occur in the training split (ties broken by ordinal string order, so the
/// ranking never depends on file order), and Keras' mapping from rank to token id:
/// id = rank + index_from (rank 1 is the most frequent word); 0 pads, start_char opens a review, oov_char
/// stands for words outside [skip_top, num_words).
/// </summary>
public sealed class Vocabulary
{
    private readonly Dictionary<string, int> _rankOf;

    public Vocabulary(IReadOnlyList<string> wordsByRank, int distinctWords)
    {
        WordsByRank = wordsByRank;
        DistinctWords = distinctWords;
        _rankOf = new Dictionary<string, int>(wordsByRank.Count);
        for (var i = 0; i < wordsByRank.Count; i++) _rankOf[wordsByRank[i]] = i + 1;
    }

    /// <summary>The kept words, most frequent first (rank 1 at index 0).</summary>
    public IReadOnlyList<string> WordsByRank { get; }

    /// <summary>How many distinct words the training split has (before num_words cut the list).</summary>
    public int DistinctWords { get; }

    /// <summary>The 1-based frequency rank of a word, or 0 when it is not among the kept words.</summary>
    public int RankOf(ReadOnlySpan<char> word) =>
        _rankOf.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(word, out var rank) ? rank : 0;

    /// <summary>vocabulary.txt: one word per line, most frequent first; line n is rank n.</summary>
    public void Write(Stream stream)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine($"# {DistinctWords} distinct training words; the {WordsByRank.Count} kept follow, most frequent first");
        foreach (var word in WordsByRank) writer.WriteLine(word);
    }

    public static Vocabulary Read(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>A vocabulary file's <paramref name="text"/> (read from <paramref name="path"/>, named in errors).</summary>
    public static Vocabulary Parse(string text, string path)
    {
        var lines = text.Split('\n');
        if (lines.Length > 0 && lines[^1].Length == 0) lines = lines[..^1];
        lines = lines.Select(l => l.TrimEnd('\r')).ToArray();
        if (lines.Length == 0 || !lines[0].StartsWith("# ", StringComparison.Ordinal))
            throw new InvalidDataException($"{path} is not an RnnRunner vocabulary file");
        var distinct = int.Parse(lines[0][2..lines[0].IndexOf(' ', 2)], System.Globalization.CultureInfo.InvariantCulture);
        return new Vocabulary(lines[1..], distinct);
    }
}
