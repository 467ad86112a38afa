namespace RnnRunner.Core.Search.Samplers;

/// <summary>A finished (or paused, or pruned) trial as samplers learn from it: where it was and how well it did.</summary>
/// <param name="Value">The objective, oriented so that lower is better (a maximised metric enters negated).</param>
/// <param name="Epochs">How far it got: the epochs its value stands for.</param>
/// <param name="Complete">Whether it trained to the end (a pruned or paused trial's value is a partial one).</param>
/// <param name="Objectives">Every objective of a multi-objective study, oriented, for a complete trial whose values are all known (the first is <paramref name="Value"/>); else null.</param>
public sealed record Observation(ParameterPoint Point, double Value, int Epochs, bool Complete, IReadOnlyList<double>? Objectives = null);

/// <summary>
/// Chooses the next trial's parameters. Samplers are deterministic: the same seed, sample number and observations give
/// the same point, so a resumed study samples what an unbroken one would.
/// </summary>
public interface ISampler
{
    /// <param name="sample">The sample's number in the study (refused samples count too, so a resample differs).</param>
    ParameterPoint Sample(IReadOnlyList<SearchParameter> space, int sample, IReadOnlyList<Observation> observations);
}
