using System.Runtime.InteropServices;

namespace RnnRunner.Cli.Terminal;

/// <summary>
/// Turns the first Ctrl-C or SIGTERM into a cancellation the trainer honours at the next batch (a safe point:
/// completed epochs and their files are kept). A second Ctrl-C exits at once with code 130.
/// </summary>
public sealed class Interrupts : IDisposable
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
        return interrupts;
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (_source.IsCancellationRequested)
        {
            _errors.WriteLine("interrupted again: stopping now");
            Environment.Exit(ExitCodes.Interrupted);
        }
        context.Cancel = true; // keep the process alive until the safe point
        _errors.WriteLine("interrupt received: stopping at the end of this batch (press Ctrl-C again to stop at once)");
        _source.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _source.Dispose();
    }
}
