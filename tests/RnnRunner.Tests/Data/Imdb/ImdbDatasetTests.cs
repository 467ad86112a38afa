using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Specs;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Data.Imdb;

public class ImdbDatasetTests
{
    private static DataEnvironment Environment(TempDirectory temp) =>
        new(temp.File("data"), temp.File("cache"));

    private static SourceData Load(ImdbDataSpec spec, TempDirectory temp, int seed = 1) =>
        new ImdbSource(spec, Environment(temp)).Load(seed, CancellationToken.None);

    [Fact]
    public void A_tar_gz_and_an_extracted_folder_give_the_same_reviews_in_a_fixed_order()
    {
        using var temp = new TempDirectory();
        var fromArchive = ImdbArchive.Read(TinyImdb.WriteTarGz(temp.Path));
        var fromFolder = ImdbArchive.Read(TinyImdb.WriteFolder(temp.File("x")));

        Assert.Equal(fromArchive, fromFolder);
        Assert.Equal(6, fromArchive.Count); // train/unsup and README are not labelled reviews
        Assert.Equal(["train", "train", "train", "train", "test", "test"], fromArchive.Select(r => r.Split));
        Assert.Equal(new Review("train", 1, 0, 9, TinyImdb.Reviews[0].Text), fromArchive[2]);
    }

    [Fact]
    public void The_vocabulary_comes_from_the_training_split_ranked_by_frequency_with_ordinal_tie_breaks()
    {
        var train = TinyImdb.Reviews.Where(r => r.Split == "train").Select(r => new LabelledText(r.Split, r.Label, r.Id, r.Text)).ToList();

        var vocabulary = TextPreprocessor.BuildVocabulary(train, keep: 6, CancellationToken.None);

        // awful 3, great 3 (tie: ordinal), acting 2, film 2, hated 2, it 2 …; "wonderful" exists only in test.
        Assert.Equal(["awful", "great", "acting", "film", "hated", "it"], vocabulary.WordsByRank);
        Assert.Equal(10, vocabulary.DistinctWords);
        Assert.Equal(0, vocabulary.RankOf("wonderful"));
    }

    [Fact]
    public void Loading_encodes_both_splits_and_reports_what_preprocessing_did()
    {
        using var temp = new TempDirectory();
        var archive = TinyImdb.WriteTarGz(temp.Path);
        var data = Load(new ImdbDataSpec { Path = archive, Maxlen = 5, NumWords = 10 }, temp);

        Assert.Equal((4, 2), (data.Train.Count, data.Test.Count));
        Assert.Equal([0, 0, 1, 1], data.Train.Labels!);
        // "Awful movie. Hated it!" → start, awful(4), movie (rank 9, id 12 ≥ num_words → oov 2), hated(8), it(9)
        Assert.Equal([1, 4, 2, 8, 9], data.Train.Tokens![..5]);
        var report = data.Report!;
        Assert.Equal(10, report.VocabularySize);
        Assert.Equal(6, report.KeptWords);
        Assert.Equal(0.75, report.Splits["train"].Truncated); // lengths 6, 7, 5, 7 with the start marker
        Assert.Equal(2, report.Splits["train"].Classes["pos"]);
        Assert.Equal(7, report.Splits["train"].LengthPercentiles["max"]);
        Assert.False(report.FromCache);
    }

    [Fact]
    public void A_second_load_hits_the_token_cache_and_a_changed_setting_or_archive_misses_it()
    {
        using var temp = new TempDirectory();
        var archive = TinyImdb.WriteTarGz(temp.Path);
        var spec = new ImdbDataSpec { Path = archive, Maxlen = 8 };

        var first = Load(spec, temp);
        var second = Load(spec, temp);
        var otherSetting = Load(spec with { Padding = SequenceSide.Post }, temp);
        File.SetLastWriteTimeUtc(TinyImdb.WriteTarGz(temp.Path, TinyImdb.Reviews.Take(5).Append(
            new Review("test", 0, 1, 1, "Dull."))), DateTime.UtcNow.AddMinutes(1));
        var otherArchive = Load(spec, temp);

        Assert.True(second.Report!.FromCache);
        Assert.Equal(first.Train.Tokens, second.Train.Tokens);
        Assert.Equal(first.Vocabulary!.WordsByRank, second.Vocabulary!.WordsByRank);
        Assert.False(otherSetting.Report!.FromCache);
        Assert.NotEqual(first.Report!.CacheKey, otherSetting.Report.CacheKey);
        Assert.False(otherArchive.Report!.FromCache);
        Assert.NotEqual(first.Report.SourceSha256, otherArchive.Report.SourceSha256);
    }

    [Fact]
    public void A_damaged_cache_entry_is_rebuilt()
    {
        using var temp = new TempDirectory();
        var spec = new ImdbDataSpec { Path = TinyImdb.WriteTarGz(temp.Path), Maxlen = 8 };
        var key = Load(spec, temp).Report!.CacheKey;
        File.WriteAllText(TokenCache.PathFor(temp.File("cache"), "imdb", key), "garbage");

        var reloaded = Load(spec, temp);

        Assert.False(reloaded.Report!.FromCache);
        Assert.Equal(4, reloaded.Train.Count);
    }

    [Fact]
    public void Limit_takes_a_seeded_class_balanced_subsample_per_split()
    {
        var reviews = Enumerable.Range(0, 40).Select(i => new LabelledText(i < 20 ? "train" : "test", i % 2, i, $"w{i}")).ToList();

        var a = TextPreprocessor.Subsample(reviews, limit: 6, classes: 2, seed: 1);
        var b = TextPreprocessor.Subsample(reviews, limit: 6, classes: 2, seed: 1);
        var c = TextPreprocessor.Subsample(reviews, limit: 6, classes: 2, seed: 2);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        foreach (var split in new[] { "train", "test" })
        {
            Assert.Equal(3, a.Count(r => r.Split == split && r.Label == 1));
            Assert.Equal(3, a.Count(r => r.Split == split && r.Label == 0));
        }
    }

    [Fact]
    public void The_data_folder_is_searched_when_the_spec_names_no_path()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("data"));
        var archive = TinyImdb.WriteTarGz(temp.File("data"), name: ImdbLocator.LabelledFile);

        Assert.Equal(archive, Load(new ImdbDataSpec { Maxlen = 4 }, temp).Report!.Source);
    }

    [Fact]
    public void A_damaged_archive_is_named_in_the_error()
    {
        using var temp = new TempDirectory();
        var archive = TinyImdb.WriteTarGz(temp.Path);
        var bytes = File.ReadAllBytes(archive);
        File.WriteAllBytes(archive, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<DatasetException>(() => ImdbArchive.Read(archive));

        Assert.StartsWith($"{archive}: the archive is damaged", e.Message);
    }

    [Fact]
    public void Something_that_is_not_gzip_is_refused()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("fake.tar.gz"), "not an archive");

        Assert.Contains("damaged or not a .tar.gz", Assert.Throws<DatasetException>(() => ImdbArchive.Read(temp.File("fake.tar.gz"))).Message);
    }

    [Fact]
    public void A_missing_split_and_an_empty_review_folder_each_get_their_own_error()
    {
        using var temp = new TempDirectory();
        var noTest = TinyImdb.WriteFolder(temp.File("a"), TinyImdb.Reviews.Where(r => r.Split == "train"));
        var noPositiveTrain = TinyImdb.WriteTarGz(temp.Path, TinyImdb.Reviews.Where(r => !(r.Split == "train" && r.Label == 1)));

        Assert.Contains("the test split (aclImdb/test/) is missing", Assert.Throws<DatasetException>(() => ImdbArchive.Read(noTest)).Message);
        Assert.Contains("aclImdb/train/pos/ holds no reviews", Assert.Throws<DatasetException>(() => ImdbArchive.Read(noPositiveTrain)).Message);
    }

    [Fact]
    public void A_missing_path_in_the_spec_is_an_error_naming_it()
    {
        using var temp = new TempDirectory();

        var e = Assert.Throws<DatasetException>(() => Load(new ImdbDataSpec { Path = "/nowhere/imdb.tar.gz" }, temp));

        Assert.Equal("/nowhere/imdb.tar.gz: no such file or folder (data.path in the spec)", e.Message);
    }
}
