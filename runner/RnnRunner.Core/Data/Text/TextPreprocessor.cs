using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Text;

/// <summary>
/// Labelled texts (IMDB's reviews, a text folder's files) → vocabulary (training split only) → id sequences cut to
/// maxlen (padding waits for the batch), with the statistics of the report.
/// Counting and encoding run in parallel over texts; words are looked up as spans, never allocated twice.
/// </summary>
public static class TextPreprocessor
{
    public const string Train = "train", Test = "test";

    public sealed record Result(SequenceDataset Train, SequenceDataset Test, Vocabulary Vocabulary,
        int DistinctWords, IReadOnlyDictionary<string, SplitReport> Splits);

    /// <summary>
    /// What a text dataset feeds the model: token ids below num_words, up to <paramref name="steps"/> of them, with
    /// 0 only ever padding; one label per text — binary for two classes, one of <paramref name="classes"/> otherwise.
    /// </summary>
    public static DataSignature Signature(TextDataSpec spec, int steps, int classes) =>
        new(InputKind.Tokens, spec.NumWords, steps, classes == 2 ? TargetKind.BinaryPerSequence : TargetKind.ClassesPerSequence, classes)
        {
            VariableLength = spec.Maxlen is null,
            // Words get ids from index_from + 1 ≥ 1 and validation refuses start_char or oov_char 0.
            ZeroIsPadding = true,
        };

    /// <param name="classes">The class names in label order (label i is classes[i]).</param>
    /// <param name="trained">A trained run's vocabulary to encode with; by default one is built from the training texts.</param>
    public static Result Run(TextDataSpec spec, IReadOnlyList<LabelledText> texts, IReadOnlyList<string> classes,
        CancellationToken cancellation, IProgress<DataProgress>? progress = null, Vocabulary? trained = null)
    {
        var train = texts.Where(r => r.Split == Train).ToList();
        var test = texts.Where(r => r.Split == Test).ToList();
        var vocabulary = trained ?? BuildVocabulary(train, TextEncoding.KeptWords(spec), cancellation);
        var encoding = new TextEncoding(spec, vocabulary);
        var counter = new ProgressCounter(progress, "tokenising texts", texts.Count);
        var (trainIds, trainLabels, trainReport) = Encode(train, classes, encoding, spec.Maxlen, counter, cancellation);
        var (testIds, testLabels, testReport) = Encode(test, classes, encoding, spec.Maxlen, counter, cancellation);
        // Both splits share one signature (one batch buffer serves both): as long as the longest kept text.
        var longest = trainIds.Concat(testIds).Select(ids => ids.Length).DefaultIfEmpty(1).Max();
        var signature = Signature(spec, spec.Maxlen ?? Math.Max(1, longest), classes.Count);
        var trainSet = SequenceDataset.FromRows(signature, trainIds, trainLabels, spec.Padding);
        var testSet = SequenceDataset.FromRows(signature, testIds, testLabels, spec.Padding);
        return new Result(trainSet, testSet, vocabulary, vocabulary.DistinctWords,
            new Dictionary<string, SplitReport> { [Train] = trainReport, [Test] = testReport });
    }

    /// <summary>Counts words over the training texts and keeps the <paramref name="keep"/> most frequent.</summary>
    public static Vocabulary BuildVocabulary(IReadOnlyList<LabelledText> train, int keep, CancellationToken cancellation)
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

    /// <summary>Counts texts done across threads and reports every 2,000 (and the last).</summary>
    private sealed class ProgressCounter(IProgress<DataProgress>? progress, string activity, int total)
    {
        private int _done;

        public void Increment()
        {
            var done = Interlocked.Increment(ref _done);
            if (progress is not null && (done % 2000 == 0 || done == total))
                progress.Report(new DataProgress(activity, done, total, "texts"));
        }
    }

    private static (int[][] Ids, int[] Labels, SplitReport Report) Encode(IReadOnlyList<LabelledText> reviews, IReadOnlyList<string> classes,
        TextEncoding encoding, int? maxlen, ProgressCounter counter, CancellationToken cancellation)
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

        return (ids, labels, Report(counts, labels, classes, maxlen));
    }

    /// <summary>What encoding did to one split: texts per class, words, the out-of-vocabulary rate, cuts, padding and lengths.</summary>
    public static SplitReport Report(IReadOnlyList<TextEncoding.Counts> counts, int[] labels, IReadOnlyList<string> classes, int? maxlen)
    {
        var lengths = counts.Select(c => c.Length).Order().ToArray();
        var words = counts.Sum(c => (long)c.Words);
        return new SplitReport
        {
            Texts = counts.Count,
            Classes = classes.Select((name, label) => (name, label)).ToDictionary(c => c.name, c => labels.Count(l => l == c.label)),
            Words = words,
            OovRate = words == 0 ? 0 : counts.Sum(c => (long)c.OutOfVocabulary) / (double)words,
            Truncated = counts.Count == 0 || maxlen is null ? 0 : counts.Count(c => c.Length > maxlen) / (double)counts.Count,
            Padded = counts.Count == 0 || maxlen is null ? 0 : counts.Count(c => c.Length < maxlen) / (double)counts.Count,
            LengthPercentiles = new Dictionary<string, int>
            {
                ["p50"] = Percentile(lengths, 0.50), ["p90"] = Percentile(lengths, 0.90),
                ["p95"] = Percentile(lengths, 0.95), ["p99"] = Percentile(lengths, 0.99),
                ["max"] = lengths.Length == 0 ? 0 : lengths[^1],
            },
        };
    }

    /// <summary>
    /// For data without a test split of their own: <paramref name="share"/> of each class's training texts, chosen by a
    /// seeded shuffle, become the test split — stratified, so a small class is never left out of either.
    /// </summary>
    public static List<LabelledText> SplitOffTest(IReadOnlyList<LabelledText> texts, int classes, double share, int seed, string purpose)
    {
        var random = SeededRandom.For(seed, purpose);
        var result = new List<LabelledText>(texts.Count);
        for (var label = 0; label < classes; label++)
        {
            var ofClass = texts.Where(t => t.Label == label).ToArray();
            var order = SeededRandom.Permutation(random, ofClass.Length);
            var test = order.Take((int)Math.Round(ofClass.Length * share)).ToHashSet();
            result.AddRange(ofClass.Select((t, i) => test.Contains(i) ? t with { Split = Test } : t));
        }
        return result.OrderBy(t => t.Split == Train ? 0 : 1).ThenBy(t => t.Id).ToList();
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static int Percentile(int[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>
    /// A seeded, class-balanced subsample of at most <paramref name="limit"/> texts per split: limit / classes of each
    /// class (the remainder to the last classes), in their original order.
    /// </summary>
    public static IReadOnlyList<LabelledText> Subsample(IReadOnlyList<LabelledText> texts, int limit, int classes, int seed)
    {
        var random = SeededRandom.For(seed, "imdb-limit"); // the stream's name predates other text datasets; kept so IMDB subsets stay the same
        var kept = new List<LabelledText>();
        foreach (var split in new[] { Train, Test })
        {
            for (var label = 0; label < classes; label++)
            {
                var share = limit / classes + (label >= classes - limit % classes ? 1 : 0);
                var pool = texts.Where(r => r.Split == split && r.Label == label).ToArray();
                random.Shuffle(pool);
                kept.AddRange(pool.Take(share).OrderBy(r => r.Id));
            }
        }
        return kept;
    }
}
