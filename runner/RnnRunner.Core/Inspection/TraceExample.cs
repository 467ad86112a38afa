using RnnRunner.Core.Data;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Inspection;

/// <summary>
/// One sequence to trace, exactly as the model receives it: its ids (or features) padded as in training, which steps
/// are padding, each step's word for people to read, and the true answer when it is known.
/// </summary>
/// <param name="Origin">Where it came from, for the heading: "example 3 of the training split", "your text".</param>
/// <param name="Words">Each step's word (a vocabulary's word, else the id as text), aligned with the tokens; null for features.</param>
/// <param name="Padding">Which steps are padding (id 0 added to reach the model's length).</param>
/// <param name="Label">The true class or value, as text; null when unknown (your own text).</param>
/// <param name="Side">Where padding goes (as the data pads), for the per-step predictions' prefixes.</param>
public sealed record TraceExample(string Origin, int[]? Tokens, float[]? Features, int Steps, IReadOnlyList<string>? Words,
    IReadOnlyList<bool> Padding, string? Label, SequenceSide Side)
{
    /// <summary>The steps that are not padding, in order.</summary>
    public IReadOnlyList<int> RealSteps => Enumerable.Range(0, Steps).Where(t => !Padding[t]).ToList();

    /// <summary>Example <paramref name="index"/> of a split, padded to the data's length as a training batch pads it.</summary>
    /// <param name="words">A token id's word (null: the id itself).</param>
    /// <param name="classes">The class names (null: the label's number).</param>
    public static TraceExample FromSplit(SequenceDataset split, string splitName, int index, Func<int, string>? words, IReadOnlyList<string>? classes)
    {
        if (index < 0 || index >= split.Count)
            throw new ArgumentException($"--example {index} is outside the {splitName} split's 0…{split.Count - 1}");
        var signature = split.Signature;
        var batch = new Batch(signature, 1);
        split.FillBatch([index], batch);
        var steps = batch.Steps;
        var tokens = split.Tokens is null ? null : batch.TokenIds.ToArray();
        var features = split.Features?.AsSpan(index * signature.InputsPerExample, signature.InputsPerExample).ToArray();
        var length = split.LengthOf(index);
        var side = split.Padding;
        var padding = Enumerable.Range(0, steps).Select(t => tokens is not null && (side == SequenceSide.Pre ? t < steps - length : t >= length)).ToList();
        string? label = split.Labels is { } labels && signature.TargetsPerExample == 1
            ? classes is { } names && labels[index] < names.Count ? names[labels[index]] : labels[index].ToString(System.Globalization.CultureInfo.InvariantCulture)
            : split.Values is { } values && signature.TargetsPerExample == 1 ? values[index].ToString("G6", System.Globalization.CultureInfo.InvariantCulture) : null;
        return new TraceExample($"example {index} of the {splitName} split", tokens, features, steps, tokens?.Select(id => words?.Invoke(id) ?? Id(id)).ToList(),
            padding, label, side);
    }

    /// <summary>Ids of one's own text (or sequence), padded to <paramref name="steps"/> on <paramref name="side"/> as <c>predict</c> pads them.</summary>
    public static TraceExample FromIds(string origin, int[] ids, int steps, SequenceSide side, Func<int, string>? words)
    {
        steps = Math.Max(steps, ids.Length);
        var tokens = new int[steps];
        ids.CopyTo(tokens, side == SequenceSide.Pre ? steps - ids.Length : 0);
        var padding = Enumerable.Range(0, steps).Select(t => side == SequenceSide.Pre ? t < steps - ids.Length : t >= ids.Length).ToList();
        return new TraceExample(origin, tokens, null, steps, tokens.Select(id => words?.Invoke(id) ?? Id(id)).ToList(), padding, null, side);
    }

    private static string Id(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Where the data pads a sequence: text data as its spec says; anything else before (Keras' default).</summary>
    public static SequenceSide PaddingOf(LoadedSpec loaded) => loaded.Spec.Data is TextDataSpec text ? text.Padding : SequenceSide.Pre;
}
