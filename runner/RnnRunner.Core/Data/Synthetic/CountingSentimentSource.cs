using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Synthetic;

/// <summary>
/// A miniature IMDB: each token is a positive word (ids in the first third of the vocabulary), a negative word
/// (second third) or neutral (the rest); the label is 1 when positive words outnumber negative ones. The model
/// has to count across the whole sequence, so it needs memory. Ties are redrawn so every label is well defined.
/// </summary>
[Implements(typeof(CountingSentimentDataSpec))]
public sealed class CountingSentimentSource(CountingSentimentDataSpec spec) : SyntheticSource<CountingSentimentDataSpec>(spec)
{
    public CountingSentimentSource(CountingSentimentDataSpec spec, DataSourceContext context) : this(spec) { }


    /// <summary>Chance that a token is a sentiment word of each polarity; the rest are neutral.</summary>
    public const double PolarWordProbability = 0.2;

    public override DataSignature Describe() =>
        new(InputKind.Tokens, Spec.VocabularySize, Spec.SequenceLength, TargetKind.BinaryPerSequence, 2)
        {
            VariableLength = Spec.MinLength is not null,
            ZeroIsPadding = Spec.MinLength is not null,
        };

    /// <summary>Word ids: all of 0..V-1, or 1..V-1 when id 0 is padding (variable lengths).</summary>
    private int FirstWord => Spec.MinLength is null ? 0 : 1;

    public static bool IsPositive(int token, int vocabularySize) => token < vocabularySize / 3;
    public static bool IsNegative(int token, int vocabularySize) => token >= vocabularySize / 3 && token < 2 * (vocabularySize / 3);

    protected override SequenceDataset Generate(Random random, int count)
    {
        int first = FirstWord, words = Spec.VocabularySize - first, third = words / 3;
        var rows = new int[count][];
        var labels = new int[count];
        for (var n = 0; n < count; n++)
        {
            var length = Spec.MinLength is { } min ? random.Next(Math.Min(min, Spec.SequenceLength), Spec.SequenceLength + 1) : Spec.SequenceLength;
            var row = rows[n] = new int[length];
            int balance;
            var attempts = 0;
            do
            {
                balance = 0;
                for (var t = 0; t < length; t++)
                {
                    var u = random.NextDouble();
                    if (u < PolarWordProbability) { row[t] = first + random.Next(0, third); balance++; }
                    else if (u < 2 * PolarWordProbability) { row[t] = first + random.Next(third, 2 * third); balance--; }
                    else row[t] = first + random.Next(2 * third, words);
                }
            } while (balance == 0 && length > 0 && ++attempts < 100);
            labels[n] = balance > 0 ? 1 : 0;
        }
        if (Spec.MinLength is null) return new SequenceDataset(Describe(), count, rows.SelectMany(r => r).ToArray(), null, labels, null);
        return SequenceDataset.FromRows(Describe(), rows, labels, Spec.Padding);
    }
}
