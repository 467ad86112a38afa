using System.Globalization;
using System.Text;

namespace RnnRunner.Core.Reports;

/// <summary>
/// Text that came from users' files (class labels, study choices, paths, values quoted in errors) printed to a
/// terminal. Its control characters are shown escaped (<c>\e</c>, <c>\n</c>, <c>\x07</c>) rather than sent: an
/// <c>ESC]0;…BEL</c> in a label would retitle the terminal, a newline would forge a line of output.
/// </summary>
public static class TerminalText
{
    /// <param name="keepLineBreaks">Pass \n, \r and \t through (text of several lines: a log, a CSV on stdout).</param>
    public static string Escape(string text, bool keepLineBreaks = false)
    {
        if (!text.Any(c => MustEscape(c, keepLineBreaks))) return text;
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (!MustEscape(c, keepLineBreaks)) { escaped.Append(c); continue; }
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\x1b' => "\\e",
                _ => c <= 0xff ? string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}") : string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
            });
        }
        return escaped.ToString();
    }

    public static bool MustEscape(char c, bool keepLineBreaks) => IsControl(c) && !(keepLineBreaks && c is '\n' or '\r' or '\t');

    /// <summary>C0 and C1 controls and DEL; also the bidirectional overrides that reorder what a terminal shows.</summary>
    private static bool IsControl(char c) => char.IsControl(c) || c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';
}
