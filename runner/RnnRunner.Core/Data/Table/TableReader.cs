using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Storage;

namespace RnnRunner.Core.Data.Table;

/// <summary>One row of a table: where it is (for errors), its input cell and its label cell.</summary>
public sealed record TableRow(int Line, string Input, string Label);

/// <summary>
/// Reads a table's input and label columns, row by row: CSV and TSV with CsvHelper (RFC 4180 quoting, a header row or
/// columns named by position), JSON Lines with System.Text.Json (one object per line; a JSON array of numbers is an id
/// sequence). Strict UTF-8 (a byte-order mark is fine). Every problem is a <see cref="DatasetException"/> naming the
/// file, the line and the column.
/// </summary>
public static class TableReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static TableFormat FormatOf(string path, TableFormat format) => format != TableFormat.Auto ? format
        : Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => TableFormat.Csv,
            ".tsv" or ".tab" => TableFormat.Tsv,
            ".jsonl" or ".ndjson" => TableFormat.Jsonl,
            var other => throw new DatasetException($"{path}: cannot tell the format from '{other}'; set data.format to csv, tsv or jsonl"),
        };

    /// <param name="labelColumn">The label column; null reads the input column alone (inputs to predict), each row's label "".</param>
    public static IEnumerable<TableRow> Read(string path, TableFormat format, bool header, string inputColumn, string? labelColumn)
    {
        if (!File.Exists(path)) throw new DatasetException($"{path}: no such file");
        var rows = FormatOf(path, format) == TableFormat.Jsonl
            ? ReadJsonLines(path, inputColumn, labelColumn)
            : ReadDelimited(path, FormatOf(path, format) == TableFormat.Tsv ? "\t" : ",", header, inputColumn, labelColumn);
        return Guard(path, rows);
    }

    private static IEnumerable<TableRow> ReadDelimited(string path, string delimiter, bool header, string inputColumn, string? labelColumn)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter,
            HasHeaderRecord = header,
            DetectColumnCountChanges = false,
            MissingFieldFound = null,
            MaxFieldSize = BoundedRead.MaxLineChars,
            BadDataFound = args => throw new DatasetException($"{path}:{args.Context.Parser?.RawRow}: a quote is out of place ({Shorten(args.RawRecord)})"),
        };
        using var reader = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, config);
        int input, label;
        if (header)
        {
            if (!csv.Read()) throw new DatasetException($"{path}: is empty (no header row)");
            csv.ReadHeader();
            var names = csv.HeaderRecord!;
            (input, label) = (ColumnIndex(path, names, inputColumn), labelColumn is null ? -1 : ColumnIndex(path, names, labelColumn));
        }
        else (input, label) = (PositionOf(path, inputColumn), labelColumn is null ? -1 : PositionOf(path, labelColumn));
        while (csv.Read())
        {
            // The line the record starts on: a quoted field may run over several lines.
            var line = csv.Parser.RawRow - csv.Parser.RawRecord.TrimEnd('\r', '\n').Count(c => c == '\n');
            var fields = csv.Parser.Count;
            if (fields == 1 && csv.Parser[0].Length == 0) continue; // a blank line
            foreach (var (index, name) in new[] { (input, inputColumn), (label, labelColumn ?? "") })
                if (index >= fields)
                    throw new DatasetException($"{path}:{line}: has {fields} field(s); column '{name}' is field {index + 1}");
            yield return new TableRow(line, csv.GetField(input) ?? "", label < 0 ? "" : csv.GetField(label) ?? "");
        }
    }

    private static int ColumnIndex(string path, string[] names, string column) =>
        Array.IndexOf(names, column) is >= 0 and var i ? i
            : throw new DatasetException($"{path}:1: has no column '{column}' (its columns: {string.Join(", ", names)})");

    private static int PositionOf(string path, string column) =>
        int.TryParse(column, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i
            : throw new DatasetException($"{path}: without a header row, columns are named by position ('0', '1', ...), not '{column}'");

    private static IEnumerable<TableRow> ReadJsonLines(string path, string inputColumn, string? labelColumn)
    {
        using var reader = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true);
        var line = 0;
        foreach (var text in BoundedRead.Lines(reader, path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonDocument document;
            try { document = JsonDocument.Parse(text); }
            catch (JsonException e)
            {
                throw new DatasetException($"{path}:{line}:{(e.BytePositionInLine ?? 0) + 1}: is not valid JSON ({e.Message.Split(". ")[0]})");
            }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new DatasetException($"{path}:{line}: is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object");
                yield return new TableRow(line, Cell(path, line, document.RootElement, inputColumn),
                    labelColumn is null ? "" : Cell(path, line, document.RootElement, labelColumn));
            }
        }
    }

    /// <summary>A JSON value as a cell's text: strings as they are, numbers as written, an array of numbers space-separated.</summary>
    private static string Cell(string path, int line, JsonElement row, string column)
    {
        if (!row.TryGetProperty(column, out var value))
            throw new DatasetException($"{path}:{line}: has no '{column}' (its keys: {string.Join(", ", row.EnumerateObject().Select(p => p.Name))})");
        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number) =>
                string.Join(' ', value.EnumerateArray().Select(v => v.GetRawText())),
            _ => throw new DatasetException($"{path}:{line}: '{column}' is {value.ValueKind.ToString().ToLowerInvariant()}; expected a string, a number or an array of numbers"),
        };
    }

    /// <summary>Bytes that are not UTF-8, met wherever in the file, are one error naming it.</summary>
    private static IEnumerable<TableRow> Guard(string path, IEnumerable<TableRow> rows)
    {
        using var e = rows.GetEnumerator();
        while (true)
        {
            try
            {
                if (!e.MoveNext()) yield break;
            }
            catch (DecoderFallbackException)
            {
                throw new DatasetException($"{path}: is not UTF-8 text (save it as UTF-8)");
            }
            catch (CsvHelperException ex) when (ex.InnerException is DatasetException inner)
            {
                throw inner;
            }
            catch (MaxFieldSizeException ex)
            {
                throw new DatasetException($"{path}:{ex.Context?.Parser?.RawRow}: a field of more than {BoundedRead.MaxLineChars:N0} characters, the most one cell may be");
            }
            catch (TooLargeException ex)
            {
                throw new DatasetException(ex.Message);
            }
            catch (IOException ex)
            {
                throw new DatasetException($"{path}: cannot be read ({ex.Message})", ex);
            }
            yield return e.Current;
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text.Trim() : text[..60].Trim() + "…";
}
