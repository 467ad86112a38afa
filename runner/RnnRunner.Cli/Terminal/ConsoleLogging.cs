using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Spectre.Console;

namespace RnnRunner.Cli.Terminal;

/// <summary>
/// The console side of logging (each run also gets its own structured log file). Logs go to stderr so stdout
/// carries only results. On a terminal they go through Spectre.Console so they print cleanly above a live
/// progress bar; elsewhere (CI, files, tests) they are plain lines with no escape codes.
/// </summary>
public static class ConsoleLogging
{
    public const string Template = "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}";

    public static Logger Create(ConsoleStreams streams, bool quiet, bool verbose)
    {
        var level = quiet ? LogEventLevel.Warning : verbose ? LogEventLevel.Debug : LogEventLevel.Information;
        var config = new LoggerConfiguration().MinimumLevel.Debug();
        var formatter = new MessageTemplateTextFormatter(Template, System.Globalization.CultureInfo.InvariantCulture);
        config = streams.IsInteractive
            ? config.WriteTo.Sink(new SpectreSink(StderrConsole.Instance, formatter), level)
            : config.WriteTo.Sink(new PlainTextSink(streams.Error, formatter), level);
        return config.CreateLogger();
    }

    private sealed class PlainTextSink(TextWriter writer, ITextFormatter formatter) : ILogEventSink
    {
        private readonly Lock _lock = new();

        public void Emit(LogEvent logEvent)
        {
            lock (_lock)
            {
                formatter.Format(logEvent, writer);
                writer.Flush();
            }
        }
    }

    private sealed class SpectreSink(IAnsiConsole console, ITextFormatter formatter) : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            var text = new StringWriter();
            formatter.Format(logEvent, text);
            var style = logEvent.Level switch
            {
                >= LogEventLevel.Error => new Style(Color.Red),
                LogEventLevel.Warning => new Style(Color.Yellow),
                LogEventLevel.Debug or LogEventLevel.Verbose => new Style(Color.Grey),
                _ => Style.Plain,
            };
            console.Write(new Text(RnnRunner.Core.Reports.TerminalText.Escape(text.ToString(), keepLineBreaks: true), style));
        }
    }
}

/// <summary>The one Spectre console on stderr, shared by log lines and progress bars.</summary>
public static class StderrConsole
{
    public static readonly IAnsiConsole Instance = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
    });
}
