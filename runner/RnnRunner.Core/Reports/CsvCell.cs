using System.Globalization;

namespace RnnRunner.Core.Reports;

/// <summary>
/// Text from users' files (labels, grid values, input names) written into a CSV a spreadsheet may open. A cell that
/// starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return is a formula to Excel and LibreOffice
/// (<c>=HYPERLINK(…)</c> runs when clicked); as OWASP recommends, such a cell gets a leading <c>'</c> and is shown
/// as the text it is. Numbers (<c>-0.5</c>, <c>+3</c>) are left alone: they are values, not formulas.
/// </summary>
public static class CsvCell
{
    public static string Safe(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
        && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? "'" + text
            : text;
}
