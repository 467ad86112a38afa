using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Core.Specs;

/// <summary>One problem with a spec, located in its source.</summary>
/// <param name="Path">The spec path at fault (e.g. <c>model[1].units</c>), or empty for the whole file.</param>
public sealed record SpecError(SourceMark Mark, string Path, string Message)
{
    public override string ToString() =>
        Path.Length == 0 ? $"{Mark}: {Message}" : $"{Mark}: {Path}: {Message}";
}

/// <summary>Thrown when a spec cannot be used; carries every problem found, not only the first.</summary>
public sealed class SpecException(IReadOnlyList<SpecError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
{
    public IReadOnlyList<SpecError> Errors { get; } = errors;

    public static SpecException At(SourceMark mark, string message) => new([new SpecError(mark, "", message)]);
}
