using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Synthetic;
using RnnRunner.Core.Specs;

namespace RnnRunner.Tests.Data;

public class SyntheticDataTests
{
    [Fact]
    public void Counting_sentiment_labels_say_whether_positive_words_outnumber_negative_ones()
    {
        var spec = new CountingSentimentDataSpec { VocabularySize = 30, SequenceLength = 15, TrainSamples = 300 };
        var (train, _) = DataSources.For(spec).Load(seed: 1, CancellationToken.None);

        for (var n = 0; n < train.Count; n++)
        {
            var row = train.Tokens!.AsSpan(n * 15, 15).ToArray();
            var balance = row.Count(t => CountingSentimentSource.IsPositive(t, 30)) - row.Count(t => CountingSentimentSource.IsNegative(t, 30));
            Assert.NotEqual(0, balance);
            Assert.Equal(balance > 0 ? 1 : 0, train.Labels![n]);
        }
        var positives = train.Labels!.Count(l => l == 1);
        Assert.InRange(positives, 100, 200); // roughly balanced classes
    }

    [Fact]
    public void Delayed_echo_targets_are_the_token_delay_steps_back()
    {
        var spec = new DelayedEchoDataSpec { VocabularySize = 5, Delay = 3, SequenceLength = 8, TrainSamples = 4 };
        var (train, _) = DataSources.For(spec).Load(seed: 2, CancellationToken.None);

        for (var n = 0; n < 4; n++)
            for (var t = 0; t < 8; t++)
                Assert.Equal(t >= 3 ? train.Tokens![n * 8 + t - 3] : 0, train.Labels![n * 8 + t]);
    }

    [Fact]
    public void Noisy_sine_targets_are_the_next_clean_value()
    {
        var spec = new NoisySineDataSpec { Noise = 0, SequenceLength = 30, TrainSamples = 3 };
        var (train, _) = DataSources.For(spec).Load(seed: 3, CancellationToken.None);

        for (var n = 0; n < 3; n++)
            for (var t = 0; t < 29; t++)
                Assert.Equal(train.Features![n * 30 + t + 1], train.Values![n * 30 + t], 5);
    }

    [Fact]
    public void Generation_is_seeded_and_train_and_test_are_independent_streams()
    {
        var spec = new CountingSentimentDataSpec { TrainSamples = 50, TestSamples = 20 };
        var (a, testA) = DataSources.For(spec).Load(5, CancellationToken.None);
        var (b, _) = DataSources.For(spec).Load(5, CancellationToken.None);
        var (c, _) = DataSources.For(spec).Load(6, CancellationToken.None);
        var (moreTest, _) = DataSources.For(spec with { TestSamples = 99 }).Load(5, CancellationToken.None);

        Assert.Equal(a.Tokens, b.Tokens);
        Assert.NotEqual(a.Tokens, c.Tokens);
        Assert.Equal(a.Tokens, moreTest.Tokens); // changing the test size leaves training data alone
        Assert.NotEqual(a.Tokens!.Take(20 * 20), testA.Tokens!);
    }

    [Fact]
    public void The_validation_split_is_a_seeded_shuffle_not_the_last_rows()
    {
        var spec = new CountingSentimentDataSpec { TrainSamples = 100, TestSamples = 0 };
        var splits = DataSources.LoadSplits(spec, validationSplit: 0.2, seed: 9);

        Assert.Equal(80, splits.Train.Count);
        Assert.Equal(20, splits.Validation.Count);
        var (all, _) = DataSources.For(spec).Load(9, CancellationToken.None);
        var lastRows = all.Select(Enumerable.Range(80, 20).ToArray());
        Assert.NotEqual(lastRows.Tokens, splits.Validation.Tokens);
        Assert.Equal(splits.Validation.Tokens, DataSources.LoadSplits(spec, 0.2, 9).Validation.Tokens);
    }
}
