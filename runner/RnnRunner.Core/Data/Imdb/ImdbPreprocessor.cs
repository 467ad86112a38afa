using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Imdb;

/// <summary>
/// Reviews → vocabulary (training split only) → id sequences cut to maxlen (padding waits for the batch), with the
/// statistics of the report.
/// Counting and encoding run in parallel over reviews; words are looked up as spans, never allocated twice.
/// </summary>
public static class ImdbPreprocessor
{
    public sealed record Result(SequenceDataset Train, SequenceDataset Test, Vocabulary Vocabulary,
        int DistinctWords, IReadOnlyDictionary<string, SplitReport> Splits);

    public static Result Run(ImdbDataSpec spec, IReadOnlyList<Review> reviews, CancellationToken cancellation, IProgress<DataProgress>? progress = null)
    {
        var train = reviews.Where(r => r.Split == "train").ToList();
        var test = reviews.Where(r => r.Split == "test").ToList();
        var vocabulary = BuildVocabulary(train, TextEncoding.KeptWords(spec), cancellation);
        var encoding = new TextEncoding(spec, vocabulary);
        var counter = new ProgressCounter(progress, "tokenising reviews", reviews.Count);
        var (trainIds, trainLabels, trainReport) = Encode(train, encoding, spec.Maxlen, counter, cancellation);
        var (testIds, testLabels, testReport) = Encode(test, encoding, spec.Maxlen, counter, cancellation);
        // Both splits share one signature (one batch buffer serves both): as long as the longest kept review.
        var longest = trainIds.Concat(testIds).Select(ids => ids.Length).DefaultIfEmpty(1).Max();
        var signature = ImdbSource.Signature(spec, spec.Maxlen ?? Math.Max(1, longest));
        var trainSet = SequenceDataset.FromRows(signature, trainIds, trainLabels, spec.Padding);
        var testSet = SequenceDataset.FromRows(signature, testIds, testLabels, spec.Padding);
        return new Result(trainSet, testSet, vocabulary, vocabulary.DistinctWords,
            new Dictionary<string, SplitReport> { ["train"] = trainReport, ["test"] = testReport });
    }

    /// <summary>Counts words over the training reviews and keeps the <paramref name="keep"/> most frequent.</summary>
    public static Vocabulary BuildVocabulary(IReadOnlyList<Review> train, int keep, CancellationToken cancellation)
    {
        var total = new Dictionary<string, int>(StringComparer.Ordinal);
        var gate = new Lock();
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, train.Count, 512),
            new ParallelOptions { CancellationToken = cancellation },
            () => new Dictionary<string, int>(StringComparer.Ordinal),
            (range, _loop, counts) =>
            {
                var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
                for (var i = range.Item1; i < range.Item2; i++)
                    KerasTextTokenizer.ForEachWord(train[i].Text, ref lookup, static (word, ref l) =>
                    {
                        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(l, word, out _)++;
                    });
                return counts;
            },
            counts =>
            {
                lock (gate)
                    foreach (var (word, count) in counts)
                        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(total, word, out _) += count;
            });

        // Most frequent first; ties by ordinal order so the ranking is the same whatever order files came in.
        var ranked = total.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(keep).Select(p => p.Key).ToList();
        return new Vocabulary(ranked, total.Count);
    }

    /// <summary>Counts reviews done across threads and reports every 2,000 (and the last).</summary>
    private sealed class ProgressCounter(IProgress<DataProgress>? progress, string activity, int total)
    {
        private int _done;

        public void Increment()
        {
            var done = Interlocked.Increment(ref _done);
            if (progress is not null && (done % 2000 == 0 || done == total))
                progress.Report(new DataProgress(activity, done, total, "reviews"));
        }
    }

    private static (int[][] Ids, int[] Labels, SplitReport Report) Encode(IReadOnlyList<Review> reviews, TextEncoding encoding,
        int? maxlen, ProgressCounter counter, CancellationToken cancellation)
    {
        var ids = new int[reviews.Count][];
        var labels = new int[reviews.Count];
        var counts = new TextEncoding.Counts[reviews.Count];
        Parallel.For(0, reviews.Count, new ParallelOptions { CancellationToken = cancellation }, i =>
        {
            (ids[i], counts[i]) = encoding.EncodeIds(reviews[i].Text);
            labels[i] = reviews[i].Label;
            counter.Increment();
        });

        var lengths = counts.Select(c => c.Length).Order().ToArray();
        var words = counts.Sum(c => (long)c.Words);
        var report = new SplitReport
        {
            Reviews = reviews.Count,
            Positive = labels.Count(l => l == 1),
            Negative = labels.Count(l => l == 0),
            Words = words,
            OovRate = words == 0 ? 0 : counts.Sum(c => (long)c.OutOfVocabulary) / (double)words,
            Truncated = reviews.Count == 0 || maxlen is null ? 0 : counts.Count(c => c.Length > maxlen) / (double)reviews.Count,
            Padded = reviews.Count == 0 || maxlen is null ? 0 : counts.Count(c => c.Length < maxlen) / (double)reviews.Count,
            LengthPercentiles = new Dictionary<string, int>
            {
                ["p50"] = Percentile(lengths, 0.50), ["p90"] = Percentile(lengths, 0.90),
                ["p95"] = Percentile(lengths, 0.95), ["p99"] = Percentile(lengths, 0.99),
                ["max"] = lengths.Length == 0 ? 0 : lengths[^1],
            },
        };
        return (ids, labels, report);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static int Percentile(int[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>A seeded, class-balanced subsample of at most <paramref name="limit"/> reviews per split.</summary>
    public static IReadOnlyList<Review> Subsample(IReadOnlyList<Review> reviews, int limit, int seed)
    {
        var random = SeededRandom.For(seed, "imdb-limit");
        var kept = new List<Review>();
        foreach (var split in ImdbArchive.Splits)
        {
            var perClass = new[] { limit / 2, limit - limit / 2 };
            foreach (var label in new[] { 0, 1 })
            {
                var pool = reviews.Where(r => r.Split == split && r.Label == label).ToArray();
                random.Shuffle(pool);
                kept.AddRange(pool.Take(perClass[label]).OrderBy(r => r.Id));
            }
        }
        return kept;
    }
}
