using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Data.Synthetic;

/// <summary>
/// A miniature IMDB: each token is a positive word (ids in the first third of the vocabulary), a negative word
/// (second third) or neutral (the rest); the label is 1 when positive words outnumber negative ones. The model
/// has to count across the whole sequence, so it needs memory. Ties are redrawn so every label is well defined.
/// </summary>
public sealed class CountingSentimentSource(CountingSentimentDataSpec spec) : SyntheticSource<CountingSentimentDataSpec>(spec)
{
    /// <summary>Chance that a token is a sentiment word of each polarity; the rest are neutral.</summary>
    public const double PolarWordProbability = 0.2;

    public override DataSignature Describe() =>
        new(InputKind.Tokens, Spec.VocabularySize, Spec.SequenceLength, TargetKind.BinaryPerSequence, 2);

    public static bool IsPositive(int token, int vocabularySize) => token < vocabularySize / 3;
    public static bool IsNegative(int token, int vocabularySize) => token >= vocabularySize / 3 && token < 2 * (vocabularySize / 3);

    protected override SequenceDataset Generate(Random random, int count)
    {
        int steps = Spec.SequenceLength, vocabulary = Spec.VocabularySize, third = vocabulary / 3;
        var tokens = new int[count * steps];
        var labels = new int[count];
        for (var n = 0; n < count; n++)
        {
            var row = tokens.AsSpan(n * steps, steps);
            int balance;
            var attempts = 0;
            do
            {
                balance = 0;
                for (var t = 0; t < steps; t++)
                {
                    var u = random.NextDouble();
                    if (u < PolarWordProbability) { row[t] = random.Next(0, third); balance++; }
                    else if (u < 2 * PolarWordProbability) { row[t] = random.Next(third, 2 * third); balance--; }
                    else row[t] = random.Next(2 * third, vocabulary);
                }
            } while (balance == 0 && ++attempts < 100);
            labels[n] = balance > 0 ? 1 : 0;
        }
        return new SequenceDataset(Describe(), count, tokens, null, labels, null);
    }
}
