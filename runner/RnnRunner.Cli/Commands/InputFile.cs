using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Table;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Storage;

namespace RnnRunner.Cli.Commands;

/// <summary>One input read from a user's file: where it came from (file:line) and its text (or ids, as written).</summary>
public sealed record InputLine(string Place, string Text);

/// <summary>
/// The --input file <c>predict</c> and <c>explain</c> both read, in one place so they read it the same way: a .txt file
/// is one input per non-empty line; a CSV/TSV/JSON Lines table gives one input per row from a column.
/// </summary>
public static class InputFile
{
    /// <summary>The file's inputs, read as they are needed; <paramref name="column"/> as given, else the training table's.</summary>
    public static IEnumerable<InputLine> Read(string path, string? column, DataSpec data, bool ids)
    {
        if (!File.Exists(path)) throw new DatasetException($"{path}: no such file");
        if (path.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            return LinesOf(path).Select((line, i) => new InputLine($"{path}:{i + 1}", line)).Where(l => l.Text.Length > 0);
        var table = data as TableDataSpec;
        var name = column ?? (ids ? table?.SequenceColumn ?? "ids" : table?.TextColumn ?? "text");
        return TableReader.Read(path, table?.Format ?? TableFormat.Auto, table?.Header ?? true, name, labelColumn: null)
            .Select(row => new InputLine($"{path}:{row.Line}", row.Input));
    }

    /// <summary>A text file's lines, each bounded (<see cref="BoundedRead.MaxLineChars"/>), read as they are needed.</summary>
    private static IEnumerable<string> LinesOf(string path)
    {
        using var reader = new StreamReader(path, new System.Text.UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        foreach (var line in BoundedRead.Lines(reader, path)) yield return line;
    }
}
