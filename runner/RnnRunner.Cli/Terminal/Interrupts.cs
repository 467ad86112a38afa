using System.Runtime.InteropServices;
using RnnRunner.Core.Settings;
using RnnRunner.Core.Storage;

namespace RnnRunner.Cli.Terminal;

/// <summary>
/// Turns the first Ctrl-C or SIGTERM into a cancellation the trainer honours at the next batch (a safe point:
/// completed epochs and their files are kept). A second Ctrl-C exits at once with code 130.
/// </summary>
public sealed partial class Interrupts : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TextWriter _errors;

    private Interrupts(TextWriter errors) => _errors = errors;

    public CancellationToken Token => _source.Token;

    public static Interrupts Listen(TextWriter errors)
    {
        var interrupts = new Interrupts(errors);
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            interrupts._registrations.Add(PosixSignalRegistration.Create(signal, interrupts.OnSignal));
        ParentWatch.StartIfChild(() =>
        {
            if (!RunLock.TakeOverBorrowed())
            {
                // A rerun of the grid already owns the trial: leave its files alone.
                errors.WriteLine("the grid that started this trial has gone and another process owns the trial: stopping now");
                errors.Flush();
                ExitNow(ExitCodes.Interrupted);
            }
            errors.WriteLine("the grid that started this trial has gone: stopping at the end of this batch");
            interrupts._source.Cancel();
        });
        return interrupts;
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (_source.IsCancellationRequested)
        {
            _errors.WriteLine("interrupted again: stopping now");
            _errors.Flush();
            ExitNow(ExitCodes.Interrupted);
        }
        context.Cancel = true; // keep the process alive until the safe point
        // In a batch job nobody can press Ctrl-C; the scheduler's signal (a time limit, scancel) is named instead.
        _errors.WriteLine(Switchboard.Current.SlurmJobId is { } job
            ? $"{context.Signal} received in Slurm job {job}: stopping at the end of this batch; the checkpoint keeps every finished epoch"
            : "interrupt received: stopping at the end of this batch (press Ctrl-C again to stop at once)");
        _source.Cancel();
    }

    /// <summary>
    /// Ends the process on the spot. Environment.Exit would run the orderly shutdown — and libtorch's static
    /// destructors — while its worker threads are still computing, which crashes (SIGSEGV, exit 139). _exit skips
    /// all teardown; nothing is lost, since every results file and checkpoint is written atomically.
    /// </summary>
    private static void ExitNow(int code)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) UnixExit(code);
        Environment.Exit(code);
    }

    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void UnixExit(int status);

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _source.Dispose();
    }
}
