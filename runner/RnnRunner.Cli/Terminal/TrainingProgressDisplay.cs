using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Training;
using Spectre.Console;

namespace RnnRunner.Cli.Terminal;

/// <summary>
/// A live progress bar per epoch on a terminal. Spectre's display owns a callback, so it runs on its own task
/// and the trainer just updates the shared progress task (Spectre's tasks are thread-safe).
/// </summary>
public sealed class TrainingProgressDisplay : ITrainingObserver, IProgress<DownloadProgress>, IDisposable
{
    private readonly TaskCompletionSource _finished = new();
    private readonly TaskCompletionSource<ProgressContext> _context = new();
    private readonly Task _display;
    private ProgressTask? _epoch;
    private ProgressTask? _download;

    public TrainingProgressDisplay()
    {
        _display = StderrConsole.Instance.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                _context.SetResult(context);
                await _finished.Task;
            });
    }

    public void EpochStarted(int epoch, int epochs, int batches)
    {
        var context = _context.Task.GetAwaiter().GetResult();
        _epoch?.StopTask();
        _epoch = context.AddTask($"epoch {epoch}/{epochs}", maxValue: batches);
    }

    public void BatchCompleted(int epoch, int batch, double loss)
    {
        if (_epoch is null) return;
        _epoch.Value = batch;
        _epoch.Description = $"epoch {epoch} loss {loss:F4}";
    }

    public void EpochCompleted(EpochMetrics metrics, bool isBest) => _epoch?.StopTask();

    /// <summary>A bar for a dataset download (sized once the server says how large it is).</summary>
    public void Report(DownloadProgress value)
    {
        var context = _context.Task.GetAwaiter().GetResult();
        _download ??= context.AddTask("downloading the dataset", maxValue: value.Total ?? 1);
        if (value.Total is { } total) _download.MaxValue = total;
        _download.Value = value.Bytes;
        if (value.Bytes >= _download.MaxValue) _download.StopTask();
    }

    public void Dispose()
    {
        _finished.TrySetResult();
        _display.GetAwaiter().GetResult();
    }
}
