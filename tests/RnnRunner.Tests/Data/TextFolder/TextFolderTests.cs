using System.IO.Compression;
using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Data.TextFolder;
using RnnRunner.Core.Specs;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Data.TextFolder;

/// <summary><c>dataset: text_folder</c>: Keras' text_dataset_from_directory layout, tokenised as IMDB is.</summary>
public class TextFolderTests
{
    private static DataEnvironment Environment(TempDirectory temp) => new(temp.File("data"), temp.File("cache"));

    /// <summary>Writes root/&lt;class&gt;/&lt;n&gt;.txt for each (class, text).</summary>
    private static string WriteClasses(string root, params (string Class, string Text)[] texts)
    {
        for (var i = 0; i < texts.Length; i++)
        {
            Directory.CreateDirectory(Path.Combine(root, texts[i].Class));
            File.WriteAllText(Path.Combine(root, texts[i].Class, $"{i:D3}.txt"), texts[i].Text);
        }
        return root;
    }

    private static TextFolderDataSpec Spec(string path, params string[] classes) => new()
    {
        Path = path, Maxlen = null, NumWords = 100, Classes = classes.Length == 0 ? null : classes,
    };

    /// <summary>Each split's token-id sequences of each label, sorted: equal whatever order the files were read in.</summary>
    private static List<string> Sequences(SequenceDataset data) => Enumerable.Range(0, data.Count)
        .Select(i => $"{data.Labels![i]}: {string.Join(' ', data.TokensOf(i).ToArray())}").Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void The_imdb_layout_read_as_a_text_folder_gives_exactly_the_imdb_loader_s_token_ids()
    {
        using var temp = new TempDirectory();
        var archive = TinyImdb.WriteTarGz(temp.Path);
        var imdb = new ImdbSource(new ImdbDataSpec { Path = archive, Maxlen = null, NumWords = 100 }, Environment(temp)).Load(1, default);

        // The archive has train/unsup/, as the official one does: a third class to Keras too, unless classes are named.
        Assert.Equal(["neg", "pos", "unsup"], TextFolderLayout.Inspect(archive, classes: null).Classes);
        var folder = new TextFolderSource(Spec(archive, "neg", "pos"), Environment(temp)).Load(1, default);

        Assert.Equal(Sequences(imdb.Train), Sequences(folder.Train));
        Assert.Equal(Sequences(imdb.Test), Sequences(folder.Test));
        Assert.Equal(imdb.Vocabulary!.WordsByRank, folder.Vocabulary!.WordsByRank);
        Assert.Equal(["neg", "pos"], folder.Report!.Splits["train"].Classes.Keys.Order());
    }

    [RealImdbFact]
    [Trait(TestLevel.Key, TestLevel.Data)]
    public void The_real_imdb_archive_read_as_a_text_folder_gives_exactly_the_imdb_loader_s_token_ids()
    {
        using var temp = new TempDirectory();
        var archive = TinyImdb.RealArchive()!;
        var imdb = new ImdbSource(new ImdbDataSpec { Path = archive }, Environment(temp)).Load(1, default);

        var folder = new TextFolderSource(new TextFolderDataSpec { Path = archive, Classes = ["neg", "pos"] }, Environment(temp)).Load(1, default);

        Assert.Equal(25_000, folder.Train.Count);
        Assert.Equal(Sequences(imdb.Train), Sequences(folder.Train));
        Assert.Equal(Sequences(imdb.Test), Sequences(folder.Test));
    }

    [Fact]
    public void Three_classes_in_one_folder_are_labelled_in_sorted_order_and_split_by_a_seeded_stratified_test_split()
    {
        using var temp = new TempDirectory();
        var texts = Enumerable.Range(0, 30).Select(i => (Class: new[] { "sport", "arts", "news" }[i % 3], Text: $"word{i % 3} item{i % 10}")).ToArray();
        var root = WriteClasses(temp.File("texts"), texts);
        var spec = Spec(root) with { TestSplit = 0.2 };

        var source = new TextFolderSource(spec, Environment(temp));
        var data = source.Load(seed: 4, default);

        Assert.Equal((TargetKind.ClassesPerSequence, 3), (source.Describe().Target, source.Describe().TargetWidth));
        Assert.Equal((24, 6), (data.Train.Count, data.Test.Count));
        Assert.Equal(new Dictionary<string, int> { ["arts"] = 2, ["news"] = 2, ["sport"] = 2 }, data.Report!.Splits["test"].Classes);
        var again = new TextFolderSource(spec, new DataEnvironment(temp.File("data"), temp.File("cache2"))).Load(seed: 4, default);
        Assert.Equal(Sequences(data.Test), Sequences(again.Test));
        var otherSeed = new TextFolderSource(spec, new DataEnvironment(temp.File("data"), temp.File("cache3"))).Load(seed: 5, default);
        Assert.NotEqual(Sequences(data.Test), Sequences(otherSeed.Test));
    }

    [Fact]
    public void A_zip_of_the_layout_is_read_in_place_and_a_lone_top_folder_is_entered()
    {
        using var temp = new TempDirectory();
        WriteClasses(temp.File("src/reviews/train"), ("bad", "awful film"), ("good", "great film"), ("bad", "dull"));
        WriteClasses(temp.File("src/reviews/test"), ("bad", "awful"), ("good", "great"));
        ZipFile.CreateFromDirectory(temp.File("src"), temp.File("reviews.zip"));

        var layout = TextFolderLayout.Inspect(temp.File("reviews.zip"), classes: null);
        var data = new TextFolderSource(Spec(temp.File("reviews.zip")), Environment(temp)).Load(1, default);

        Assert.Equal(("reviews/", true), (layout.Prefix, layout.HasSplits));
        Assert.Equal(["bad", "good"], layout.Classes);
        Assert.Equal((3, 2), (data.Train.Count, data.Test.Count));
    }

    [Fact]
    public void A_second_load_comes_from_the_token_cache_with_the_same_ids()
    {
        using var temp = new TempDirectory();
        var root = WriteClasses(temp.File("texts"), Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? "a" : "b", $"w{i} x")).ToArray());

        var first = new TextFolderSource(Spec(root), Environment(temp)).Load(1, default);
        var second = new TextFolderSource(Spec(root), Environment(temp)).Load(1, default);

        Assert.False(first.Report!.FromCache);
        Assert.True(second.Report!.FromCache);
        Assert.Equal(Sequences(first.Train), Sequences(second.Train));
    }

    [Theory]
    [InlineData("one-class", "holds one class folder (only/)")]
    [InlineData("unseen-test-class", "test/extra/ is a class the training split does not have")]
    [InlineData("empty", "holds no .txt files")]
    public void A_folder_that_cannot_label_its_texts_is_refused_naming_what_is_wrong(string layout, string message)
    {
        using var temp = new TempDirectory();
        var root = temp.File("texts");
        Directory.CreateDirectory(root);
        if (layout == "one-class") WriteClasses(root, ("only", "a"), ("only", "b"));
        if (layout == "unseen-test-class")
        {
            WriteClasses(Path.Combine(root, "train"), ("a", "x"), ("b", "y"));
            WriteClasses(Path.Combine(root, "test"), ("a", "x"), ("extra", "z"));
        }

        var error = Assert.Throws<DatasetException>(() => TextFolderLayout.Inspect(root, classes: null));

        Assert.Contains(message, error.Message);
        Assert.StartsWith(root, error.Message);
    }
}
