using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace RnnRunner.Core.Specs.Yaml;

/// <summary>
/// Reads one YAML document into a <see cref="SpecNode"/> tree, refusing what a spec never needs and an attacker
/// could use: duplicate keys, alias expansion beyond <see cref="MaxNodes"/> nodes (the "billion laughs"), nesting
/// deeper than <see cref="MaxDepth"/>, several documents, and invalid UTF-8.
/// </summary>
/// <summary>A spec or grid file as read: its YAML tree and its text.</summary>
public sealed record SpecDocument(SpecNode Root, string Text, string Source);

public static class YamlTreeReader
{
    public const int MaxDepth = 64;
    public const int MaxNodes = 100_000;
    public const long MaxFileBytes = 1 << 20;

    /// <summary>Reads a spec or grid file; problems are reported as <see cref="SpecException"/> naming the file.</summary>
    public static SpecNode ReadFile(string path) => ReadDocument(path).Root;

    /// <summary>
    /// Reads a file once — at most <see cref="MaxFileBytes"/> bytes, counted as they are read, so a pipe or a
    /// device is bounded too — and parses it; the text comes back as well, to be saved verbatim.
    /// </summary>
    public static SpecDocument ReadDocument(string path)
    {
        if (Directory.Exists(path))
            throw SpecException.At(new SourceMark(path, 0, 0), "is a directory, not a spec file");
        if (!File.Exists(path))
            throw SpecException.At(new SourceMark(path, 0, 0), "no such file");
        byte[] bytes;
        try
        {
            bytes = Storage.BoundedRead.AllBytes(path, MaxFileBytes, "a spec");
        }
        catch (Storage.TooLargeException)
        {
            throw SpecException.At(new SourceMark(path, 0, 0), $"is larger than {MaxFileBytes:N0} bytes, the most a spec may be");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SpecException.At(new SourceMark(path, 0, 0), $"cannot be read: {e.Message}");
        }
        var text = Decode(bytes, path);
        return new SpecDocument(ReadText(text, path), text, path);
    }

    public static SpecNode ReadBytes(byte[] bytes, string source) => ReadText(Decode(bytes, source), source);

    private static string Decode(byte[] bytes, string source)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException e)
        {
            var (line, column) = LineAndColumnOfByte(bytes, e.Index < 0 ? 0 : e.Index);
            throw SpecException.At(new SourceMark(source, line, column), "is not valid UTF-8 text");
        }
    }

    public static SpecNode ReadText(string text, string source)
    {
        var builder = new TreeBuilder(source);
        try
        {
            var parser = new Parser(new StringReader(text));
            return builder.ReadSingleDocument(parser);
        }
        catch (YamlException) when (TabIndentation(text) is { } tab)
        {
            // YamlDotNet reports a tab in the indentation at the start of the enclosing block, often 1:1.
            throw SpecException.At(new SourceMark(source, tab.Line, tab.Column),
                $"is not valid YAML: a tab indents this line; YAML indents with spaces only");
        }
        catch (YamlException e)
        {
            var message = e.InnerException?.Message ?? e.Message;
            // YamlDotNet prefixes messages with "(Line: x, Col: y, Idx: z) - (…): "; the mark already says where.
            var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith('(') && cut > 0) message = message[(cut + 3)..];
            throw SpecException.At(new SourceMark(source, (int)e.Start.Line, (int)e.Start.Column),
                $"is not valid YAML: {InPlainWords(message.Trim())}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            // YamlDotNet's scanner throws these instead of a YamlException on some malformed input
            // (e.g. an unclosed flow sequence followed by a mapping); the last position reached is the best lead.
            throw SpecException.At(builder.LastMark, "is not valid YAML (the text near here cannot be parsed; check brackets and quotes)");
        }
    }

    /// <summary>YamlDotNet's parser terms for the usual slips, said as what the writer probably did.</summary>
    private static readonly (string Says, string Means)[] PlainWords =
    [
        ("found invalid mapping", "a 'key: value' cannot start here; is the line indented too far, or does a value containing ': ' need quotes?"),
        ("mapping values are not allowed", "a 'key: value' cannot start here; is the line indented too far, or does a value containing ': ' need quotes?"),
        ("did not find expected '-' indicator", "this line is indented differently from the list items above it"),
        ("did not find expected key", "this line is indented differently from the keys above it"),
        ("double-quoted scalar", "a double-quoted value is not closed (a \" is missing)"),
        ("single-quoted scalar", "a single-quoted value is not closed (a ' is missing)"),
        ("quoted scalar, found unexpected end of stream", "a quoted value is not closed before the end of the file"),
        ("did not find expected ',' or ']'", "a [ list is not closed with ]"),
        ("did not find expected ',' or '}'", "a { mapping is not closed with }"),
        ("found character that cannot start any token", "a character here cannot start a value (quote the value if it begins with @, ` or %)"),
    ];

    private static string InPlainWords(string message) =>
        PlainWords.FirstOrDefault(p => message.Contains(p.Says, StringComparison.OrdinalIgnoreCase)).Means ?? message;

    /// <summary>The first tab in a line's leading whitespace (1-based), or null when indentation is all spaces.</summary>
    private static (int Line, int Column)? TabIndentation(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0) return (i + 1, tab + 1);
        }
        return null;
    }

    private static (int Line, int Column) LineAndColumnOfByte(byte[] bytes, int index)
    {
        int line = 1, column = 1;
        for (var i = 0; i < index && i < bytes.Length; i++)
        {
            if (bytes[i] == '\n') { line++; column = 1; }
            else if ((bytes[i] & 0xC0) != 0x80) column++;
        }
        return (line, column);
    }

    private sealed class TreeBuilder(string source)
    {
        private readonly Dictionary<string, SpecNode> _anchors = new();
        private int _nodes;

        /// <summary>Where the last event the parser produced began.</summary>
        public SourceMark LastMark { get; private set; } = new(source, 1, 1);

        private SourceMark MarkOf(ParsingEvent e) => LastMark = new(source, (int)e.Start.Line, (int)e.Start.Column);

        public SpecNode ReadSingleDocument(IParser parser)
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out var end))
                throw SpecException.At(MarkOf(end), "is empty: a spec needs at least 'name', 'data' and 'model'");
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, depth: 0);
            parser.Consume<DocumentEnd>();
            if (parser.Current is DocumentStart next)
                throw SpecException.At(MarkOf(next), "holds several YAML documents; a spec is exactly one");
            if (root is ScalarNode { IsNull: true })
                throw SpecException.At(root.Mark, "is empty: a spec needs at least 'name', 'data' and 'model'");
            return root;
        }

        private SpecNode ReadNode(IParser parser, int depth)
        {
            var start = parser.Current ?? throw new YamlException("unexpected end of input");
            if (depth > MaxDepth)
                throw SpecException.At(MarkOf(start), $"nests deeper than {MaxDepth} levels");
            if (++_nodes > MaxNodes)
                throw SpecException.At(MarkOf(start),
                    $"expands to more than {MaxNodes:N0} nodes (YAML aliases?); a spec is far smaller");

            switch (start)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                        throw SpecException.At(MarkOf(alias), $"uses the undefined alias *{alias.Value.Value}");
                    return Expand(target, MarkOf(alias));
                case Scalar scalar:
                    parser.MoveNext();
                    return Anchor(scalar.Anchor, new ScalarNode(scalar.Value, scalar.Style == ScalarStyle.Plain, MarkOf(scalar)));
                case SequenceStart sequenceStart:
                    {
                        parser.MoveNext();
                        var items = new List<SpecNode>();
                        while (!parser.TryConsume<SequenceEnd>(out _))
                            items.Add(ReadNode(parser, depth + 1));
                        return Anchor(sequenceStart.Anchor, new SequenceNode(items, MarkOf(sequenceStart)));
                    }
                case MappingStart mappingStart:
                    {
                        parser.MoveNext();
                        var entries = new List<MappingEntry>();
                        while (!parser.TryConsume<MappingEnd>(out _))
                        {
                            var keyNode = ReadNode(parser, depth + 1);
                            if (keyNode is not ScalarNode key)
                                throw SpecException.At(keyNode.Mark, "uses a list or mapping as a key; keys are plain names");
                            var previous = entries.FirstOrDefault(e => e.Key.Value == key.Value);
                            if (previous is not null)
                                throw SpecException.At(key.Mark,
                                    $"repeats the key '{key.Value}' (first at line {previous.Key.Mark.Line}); each key may appear once");
                            entries.Add(new MappingEntry(key, ReadNode(parser, depth + 1)));
                        }
                        return Anchor(mappingStart.Anchor, new MappingNode(entries, MarkOf(mappingStart)));
                    }
                default:
                    throw SpecException.At(MarkOf(start), $"has unexpected YAML content ({start.GetType().Name})");
            }
        }

        private SpecNode Anchor(AnchorName anchor, SpecNode node)
        {
            if (!anchor.IsEmpty) _anchors[anchor.Value] = node;
            return node;
        }

        /// <summary>Copies an aliased node, counting every copied node against the budget.</summary>
        private SpecNode Expand(SpecNode node, SourceMark at)
        {
            if (++_nodes > MaxNodes)
                throw SpecException.At(at, $"expands to more than {MaxNodes:N0} nodes (YAML aliases?); a spec is far smaller");
            return node switch
            {
                ScalarNode s => s,
                SequenceNode s => new SequenceNode(s.Items.Select(i => Expand(i, at)).ToList(), s.Mark),
                MappingNode m => new MappingNode(m.Entries.Select(e => new MappingEntry(e.Key, Expand(e.Value, at))).ToList(), m.Mark),
                _ => node,
            };
        }
    }
}
