using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Inspection;

/// <summary>
/// One recurrent step of one layer (and direction): its input, every gate, the cell state if any, and h_t; or, at a
/// padding step under a mask, <see cref="Skipped"/> with nothing computed (the state carries over unchanged).
/// </summary>
public sealed record TracedStep(int T, IReadOnlyList<float> Input, IReadOnlyList<(string Name, IReadOnlyList<float> Values)> Gates,
    IReadOnlyList<float>? Cell, IReadOnlyList<float> Hidden)
{
    public bool Skipped { get; init; }

    public static TracedStep SkippedAt(int t) => new(t, [], [], null, []) { Skipped = true };
}

/// <summary>A recurrent layer's (or bidirectional direction's) steps, in the order that direction read them.</summary>
public sealed record TracedLayer(string Path, string Cell, string? Direction, IReadOnlyList<TracedStep> Steps);

/// <summary>What <c>rnnrunner trace</c> shows: the example, each recurrent layer step by step, the output.</summary>
/// <param name="AfterEachStep">
/// The model's output on every prefix of a token sequence — what it would say had the text ended at that step, the
/// prefix padded as the data pads — aligned with the steps (null at padding); null for feature sequences.
/// </param>
public sealed record ModelTrace(TraceExample Example, IReadOnlyList<TracedLayer> Layers, IReadOnlyList<float> Output, Activation OutputActivation,
    IReadOnlyList<IReadOnlyList<float>?>? AfterEachStep)
{
    public IReadOnlyList<int>? Tokens => Example.Tokens;
}
