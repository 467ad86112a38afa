using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Specs;

namespace RnnRunner.Tests.Data.Text;

/// <summary>Keras' index conventions, each option on its own, with hand-computed ids.</summary>
public class TextEncodingTests
{
    // Ranks: the=1, movie=2, great=3, awful=4, plot=5 → ids rank + index_from.
    private static readonly Vocabulary Words = new(["the", "movie", "great", "awful", "plot"], distinctWords: 7);

    /// <summary>Encoded, then padded as a batch pads it (the ids are stored unpadded).</summary>
    private static int[] Encode(string text, ImdbDataSpec spec)
    {
        var (ids, _) = new TextEncoding(spec, Words).EncodeIds(text);
        var signature = new DataSignature(InputKind.Tokens, spec.NumWords, spec.Maxlen!.Value, TargetKind.BinaryPerSequence, 2);
        var batch = new Batch(signature, 1);
        SequenceDataset.FromRows(signature, [ids], [0], spec.Padding).FillBatch([0], batch);
        return batch.TokenIds.ToArray();
    }

    [Fact]
    public void Defaults_prepend_start_1_map_unknown_words_to_oov_2_and_shift_ranks_by_3()
    {
        var spec = new ImdbDataSpec { Maxlen = 6 };

        Assert.Equal([0, 1, 4, 5, 2, 6], Encode("The movie, unknown great", spec));
    }

    [Fact]
    public void Num_words_keeps_only_ids_below_it()
    {
        var spec = new ImdbDataSpec { Maxlen = 5, NumWords = 7 }; // ids 4, 5, 6 kept: the, movie, great

        Assert.Equal([1, 4, 6, 2, 2], Encode("the great awful plot", spec));
    }

    [Fact]
    public void Skip_top_sends_the_most_frequent_words_to_oov()
    {
        var spec = new ImdbDataSpec { Maxlen = 4, SkipTop = 2 };

        Assert.Equal([1, 2, 2, 6], Encode("the movie great", spec));
    }

    [Fact]
    public void Null_oov_drops_unknown_words_and_null_start_omits_the_marker()
    {
        var spec = new ImdbDataSpec { Maxlen = 4, OovChar = null, StartChar = null };

        Assert.Equal([0, 0, 4, 8], Encode("the zzz yyy plot", spec));
    }

    [Fact]
    public void Index_from_moves_where_word_ids_start()
    {
        var spec = new ImdbDataSpec { Maxlen = 3, IndexFrom = 10, NumWords = 100 };

        Assert.Equal([1, 11, 12], Encode("the movie", spec));
    }

    [Theory]
    [InlineData(SequenceSide.Pre, SequenceSide.Pre, new[] { 0, 0, 1, 4, 5 })]
    [InlineData(SequenceSide.Post, SequenceSide.Pre, new[] { 1, 4, 5, 0, 0 })]
    public void Short_reviews_are_padded_with_zeros_at_the_chosen_end(SequenceSide padding, SequenceSide truncating, int[] expected)
    {
        var spec = new ImdbDataSpec { Maxlen = 5, Padding = padding, Truncating = truncating };

        Assert.Equal(expected, Encode("the movie", spec));
    }

    [Theory]
    // [1, 4, 5, 6, 7, 8] cut to 4: 'pre' keeps the end (Keras' default), 'post' keeps the start.
    [InlineData(SequenceSide.Pre, new[] { 5, 6, 7, 8 })]
    [InlineData(SequenceSide.Post, new[] { 1, 4, 5, 6 })]
    public void Long_reviews_are_truncated_at_the_chosen_end(SequenceSide truncating, int[] expected)
    {
        var spec = new ImdbDataSpec { Maxlen = 4, Truncating = truncating };

        Assert.Equal(expected, Encode("the movie great awful plot", spec));
    }

    [Fact]
    public void Encoding_reports_words_oov_and_length_before_padding()
    {
        var (_, counts) = new TextEncoding(new ImdbDataSpec { Maxlen = 10 }, Words).EncodeIds("the zzz movie");

        Assert.Equal(new TextEncoding.Counts(Words: 3, OutOfVocabulary: 1, Length: 4), counts);
    }
}
