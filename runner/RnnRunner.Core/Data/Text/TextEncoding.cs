using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Text;

/// <summary>
/// Turns one review into token ids with Keras' conventions, cut to <c>maxlen</c> — the same code at training time
/// and in <c>rnnrunner predict</c>, so a saved model always sees text encoded the way it was trained.
/// </summary>
public sealed class TextEncoding(TextDataSpec spec, Vocabulary vocabulary)
{
    /// <summary>The number of kept words: ids index_from+1 … num_words-1.</summary>
    public static int KeptWords(TextDataSpec spec) => Math.Max(0, spec.NumWords - spec.IndexFrom - 1);

    /// <summary>Counts from encoding one review, for the preprocessing report.</summary>
    public readonly record struct Counts(int Words, int OutOfVocabulary, int Length);

    /// <summary>
    /// The ids of <paramref name="text"/>, cut to maxlen at the truncating end (Keras' pad_sequences does the same
    /// cut); padding is left to the batch. <see cref="Counts.Length"/> is the length before cutting.
    /// </summary>
    public (int[] Ids, Counts Counts) EncodeIds(string text)
    {
        var state = new EncodeState(this, new List<int>(256));
        if (spec.StartChar is { } start) state.Ids.Add(start);
        KerasTextTokenizer.ForEachWord(text, ref state, static (word, ref s) => s.Owner.Add(word, ref s));
        ReadOnlySpan<int> ids = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(state.Ids);
        if (spec.Maxlen is { } maxlen && ids.Length > maxlen)
            ids = spec.Truncating == SequenceSide.Pre ? ids[^maxlen..] : ids[..maxlen];
        return (ids.ToArray(), new Counts(state.Words, state.OutOfVocabulary, state.Ids.Count));
    }

    /// <summary>The word an id stands for: a vocabulary word, or &lt;pad&gt;, &lt;start&gt;, &lt;oov&gt; for Keras' reserved ids.</summary>
    public string WordOf(int id)
    {
        if (id == 0) return "<pad>";
        if (id == spec.StartChar) return "<start>";
        if (id == spec.OovChar) return "<oov>";
        var rank = id - spec.IndexFrom;
        return rank >= 1 && rank <= vocabulary.WordsByRank.Count ? vocabulary.WordsByRank[rank - 1] : $"<{id}>";
    }

    private struct EncodeState(TextEncoding owner, List<int> ids)
    {
        public readonly TextEncoding Owner = owner;
        public readonly List<int> Ids = ids;
        public int Words;
        public int OutOfVocabulary;
    }

    private void Add(ReadOnlySpan<char> word, ref EncodeState state)
    {
        state.Words++;
        var rank = vocabulary.RankOf(word);
        var id = rank + spec.IndexFrom;
        if (rank > spec.SkipTop && id < spec.NumWords) { state.Ids.Add(id); return; }
        state.OutOfVocabulary++;
        if (spec.OovChar is { } oov) state.Ids.Add(oov);
    }
}
