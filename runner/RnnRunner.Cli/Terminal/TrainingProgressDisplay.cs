using RnnRunner.Core.Data;
using RnnRunner.Core.Training;
using Spectre.Console;

namespace RnnRunner.Cli.Terminal;

/// <summary>
/// A live progress bar per epoch on a terminal. Spectre's display owns a callback, so it runs on its own task
/// and the trainer just updates the shared progress task (Spectre's tasks are thread-safe).
/// </summary>
public sealed class TrainingProgressDisplay : ITrainingObserver, IProgress<DataProgress>, IDisposable
{
    private readonly TaskCompletionSource _finished = new();
    private readonly TaskCompletionSource<ProgressContext> _context = new();
    private readonly Task _display;
    private ProgressTask? _epoch;
    private readonly Dictionary<string, ProgressTask> _dataTasks = new();
    private readonly Lock _lock = new();

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

    /// <summary>A bar per data activity (download, reading, tokenising); indeterminate until a total is known.</summary>
    public void Report(DataProgress value)
    {
        var context = _context.Task.GetAwaiter().GetResult();
        lock (_lock)
        {
            if (!_dataTasks.TryGetValue(value.Activity, out var task))
                _dataTasks[value.Activity] = task = context.AddTask(value.Activity, maxValue: value.Total ?? 1);
            task.IsIndeterminate = value.Total is null;
            if (value.Total is { } total) task.MaxValue = total;
            task.Value = value.Total is null ? 0 : value.Done;
            if (value.IsComplete) task.StopTask();
        }
    }

    public void Dispose()
    {
        _finished.TrySetResult();
        _display.GetAwaiter().GetResult();
    }
}
