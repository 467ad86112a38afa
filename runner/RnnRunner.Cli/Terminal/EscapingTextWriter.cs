using System.Text;
using RnnRunner.Core.Reports;

namespace RnnRunner.Cli.Terminal;

/// <summary>
/// stdout and stderr as every command sees them: text passes through with its control characters escaped
/// (<see cref="TerminalText"/>), line breaks and tabs kept. Untrusted text — a class label, a study's choice, a path
/// in an error — reaches the terminal as characters, never as commands to it. (Progress bars and coloured log lines
/// go through Spectre.Console's own writer, whose log text is escaped the same way.)
/// </summary>
public sealed class EscapingTextWriter(TextWriter inner) : TextWriter
{
    public TextWriter Inner => inner;

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value)
    {
        if (TerminalText.MustEscape(value, keepLineBreaks: true)) inner.Write(TerminalText.Escape(value.ToString()));
        else inner.Write(value);
    }

    public override void Write(string? value)
    {
        if (value is not null) inner.Write(TerminalText.Escape(value, keepLineBreaks: true));
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    public override void WriteLine(string? value)
    {
        Write(value);
        inner.WriteLine();
    }

    public override void Flush() => inner.Flush();
}
