using RnnRunner.Core.Data;
using Serilog;

namespace RnnRunner.Cli.Terminal;

/// <summary>
/// Data progress as log lines — the stand-in for progress bars when output is not a terminal: every 10 % when
/// the total is known, else every 10 MB or 10,000 reviews. Thread-safe (tokenising reports from every core).
/// </summary>
public sealed class LoggedDataProgress : IProgress<DataProgress>
{
    private readonly Dictionary<string, long> _lastStep = new();
    private readonly Lock _lock = new();

    public void Report(DataProgress value)
    {
        var bytes = value.Unit == "bytes";
        var step = value.Total is { } total && total > 0 ? value.Done * 10 / total : value.Done / (bytes ? 10_000_000 : 10_000);
        lock (_lock)
        {
            if (_lastStep.TryGetValue(value.Activity, out var last) && last == step) return;
            _lastStep[value.Activity] = step;
        }
        double Scaled(long n) => bytes ? n / 1e6 : n;
        var unit = bytes ? "MB" : value.Unit;
        if (value.Total is { } t)
            Log.Information("{Activity}: {Percent}% ({Done:N0} of {Total:N0} {Unit})", value.Activity, step * 10, Scaled(value.Done), Scaled(t), unit);
        else
            Log.Information("{Activity}: {Done:N0} {Unit}", value.Activity, Scaled(value.Done), unit);
    }
}
