using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Data.Text;

namespace RnnRunner.Tests.Data.Text;

public class KerasTextTokenizerTests
{
    [Fact]
    public void Lowercases_removes_line_breaks_and_punctuation_and_keeps_apostrophes()
    {
        Assert.Equal(["this", "movie", "was", "great", "didn't", "like", "the", "end"],
            KerasTextTokenizer.Words("This movie<br /><br />was GREAT!!! Didn't like the end..."));
    }

    [Fact]
    public void Every_character_of_keras_default_filter_separates_words()
    {
        var text = string.Join("", KerasTextTokenizer.DefaultFilters.Select((c, i) => $"w{i}{c}"));

        Assert.Equal(KerasTextTokenizer.DefaultFilters.Length, KerasTextTokenizer.Words(text).Count);
    }

    [Fact]
    public void Runs_of_spaces_tabs_and_newlines_produce_no_empty_words()
    {
        Assert.Equal(["a", "b", "c"], KerasTextTokenizer.Words("  a \t\r\n  b<BR />c  "));
        Assert.Empty(KerasTextTokenizer.Words(" ... !!! "));
    }

    [Fact]
    public void Non_ascii_letters_are_lowercased_and_kept()
    {
        Assert.Equal(["amélie", "naïve"], KerasTextTokenizer.Words("AMÉLIE, naïve"));
    }
}
