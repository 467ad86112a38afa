namespace RnnRunner.Core.Specs.Yaml;

/// <summary>Where a node came from: a file (or a --set override) and a 1-based line and column.</summary>
public sealed record SourceMark(string Source, int Line, int Column)
{
    public override string ToString() => Line > 0 ? $"{Source}:{Line}:{Column}" : Source;
}

/// <summary>
/// A YAML node with its source position. The loader builds this tree itself (rather than deserialising
/// straight into objects) so that every error can name file:line:column and all errors are reported at once.
/// </summary>
public abstract record SpecNode(SourceMark Mark);

/// <param name="Value">The scalar's text.</param>
/// <param name="IsPlain">False for quoted or block scalars: those are always strings, never numbers or booleans.</param>
public sealed record ScalarNode(string Value, bool IsPlain, SourceMark Mark) : SpecNode(Mark)
{
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";
}

public sealed record SequenceNode(IReadOnlyList<SpecNode> Items, SourceMark Mark) : SpecNode(Mark);

public sealed record MappingEntry(ScalarNode Key, SpecNode Value);

/// <summary>A mapping whose keys are unique (the loader rejects duplicates) and keep their order.</summary>
public sealed record MappingNode(IReadOnlyList<MappingEntry> Entries, SourceMark Mark) : SpecNode(Mark)
{
    public MappingEntry? Find(string key) => Entries.FirstOrDefault(e => e.Key.Value == key);
}
