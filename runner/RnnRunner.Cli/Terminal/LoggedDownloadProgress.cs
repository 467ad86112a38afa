using RnnRunner.Core.Data.Imdb;
using Serilog;

namespace RnnRunner.Cli.Terminal;

/// <summary>Download progress as a log line every 10 % — the non-terminal stand-in for a progress bar.</summary>
public sealed class LoggedDownloadProgress : IProgress<DownloadProgress>
{
    private int _lastDecile = -1;

    public void Report(DownloadProgress value)
    {
        var decile = value.Total is { } total && total > 0 ? (int)(value.Bytes * 10 / total) : (int)(value.Bytes / (10 << 20));
        if (decile == _lastDecile) return;
        _lastDecile = decile;
        if (value.Total is { } t)
            Log.Information("Downloading the dataset: {Percent}% ({Done:F0} of {Total:F0} MB)", decile * 10, value.Bytes / 1e6, t / 1e6);
        else
            Log.Information("Downloading the dataset: {Done:F0} MB", value.Bytes / 1e6);
    }
}
