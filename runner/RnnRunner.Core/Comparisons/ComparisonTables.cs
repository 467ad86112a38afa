using System.Globalization;
using System.Text;
using CsvHelper;
using RnnRunner.Core.Reports;
using RnnRunner.Core.Results;
using RnnRunner.Core.Storage;

namespace RnnRunner.Core.Comparisons;

/// <summary>comparison.csv (one snake_case column per field and per varied setting, one row per run) and comparison.md (seed groups, then every run).</summary>
public static class ComparisonTables
{
    /// <param name="findings">Tables the report leads with (a study's Pareto front, which setting mattered), written into comparison.md first.</param>
    public static void Write(string folder, Comparison comparison, IReadOnlyList<ReportTable>? findings = null)
    {
        var files = new GridFolder(folder);
        AtomicFile.Write(files.ComparisonCsv, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            var columns = ComparisonColumns.Csv(comparison);
            foreach (var column in columns) csv.WriteField(column.Name);
            csv.NextRecord();
            foreach (var row in comparison.Rows)
            {
                foreach (var column in columns) csv.WriteField(CsvCell.Safe(column.Text(row)));
                csv.NextRecord();
            }
        });
        AtomicFile.WriteAllText(files.ComparisonMarkdown, Markdown(comparison, findings ?? []));
    }

    private static string Markdown(Comparison comparison, IReadOnlyList<ReportTable> findings)
    {
        var md = new StringBuilder();
        foreach (var finding in findings)
        {
            md.AppendLine($"# {finding.Heading}").AppendLine().AppendLine(finding.Explanation).AppendLine();
            if (finding.Columns.Count == 0) continue;
            md.AppendLine("| " + string.Join(" | ", finding.Columns.Select(Cell)) + " |");
            md.AppendLine("|" + string.Concat(finding.Columns.Select(_ => "---|")));
            foreach (var row in finding.Rows) md.AppendLine("| " + string.Join(" | ", row.Select(Cell)) + " |");
            md.AppendLine();
        }
        md.AppendLine("# Comparison").AppendLine();
        md.AppendLine(ComparisonColumns.HowToRead(comparison)).AppendLine();
        Table(md, ComparisonColumns.Groups(comparison), comparison.Groups);
        md.AppendLine();
        Table(md, ComparisonColumns.Trials(comparison), comparison.Rows);
        return md.ToString();
    }

    private static void Table<T>(StringBuilder md, IReadOnlyList<Column<T>> columns, IEnumerable<T> rows)
    {
        md.AppendLine("| " + string.Join(" | ", columns.Select(c => c.Heading)) + " |");
        md.AppendLine("|" + string.Concat(columns.Select(_ => "---|")));
        foreach (var row in rows)
            md.AppendLine("| " + string.Join(" | ", columns.Select(c => Cell(c.Text(row)))) + " |");
    }

    /// <summary>A cell's text with the characters that would break a Markdown table row escaped.</summary>
    private static string Cell(string text) => text.Length == 0 ? "–" : text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');
}
