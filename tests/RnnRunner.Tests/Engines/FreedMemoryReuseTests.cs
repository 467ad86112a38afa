using RnnRunner.Core.Results;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Engines;

/// <summary>
/// The TorchSharp engine keeps freed memory for reuse (<see cref="RnnRunner.Engines.Torch.LibTorchContext"/>): a
/// training step's large tensors must land on pages the process already has, not on fresh ones that the kernel maps
/// in and zeroes at every step — the cost that made recurrent training 2-2.6× slower on a virtual machine. Counted,
/// not timed: two real runs in child processes (the CLI trains on its main thread, as users run it), one with glibc's
/// defaults, compared by the minor page faults their summary.json records.
/// </summary>
[Trait(TestLevel.Key, TestLevel.Process)]
[Collection(TorchCollection.Name)]
public class FreedMemoryReuseTests
{
    private const int Steps = 4;
    private const long PagesPerBuffer = (1024L * 64 * 256 * sizeof(float)) / 4096; // one (steps, batch, units) tensor: 64 MiB

    /// <summary>
    /// A simple RNN over 1,024 steps, batch 64, 256 units (tensors of 64 MiB, beyond any glibc mmap threshold); 320
    /// samples less the 20 % validation split make four training steps.
    /// </summary>
    private static readonly string[] LongSequenceRun =
    [
        "run", "--set", "data.sequence_length=1024", "--set", "data.train_samples=320", "--set", "data.test_samples=64",
        "--set", "model[1].units=256", "--set", "training.batch_size=64", "--set", "training.epochs=1",
        "-q",
    ];

    [Fact]
    public void Training_steps_reuse_freed_memory_instead_of_faulting_in_fresh_pages_at_every_step()
    {
        var kept = MinorPageFaults(new Dictionary<string, string>());
        var returned = MinorPageFaults(new Dictionary<string, string> { ["RNNRUNNER_MALLOC"] = "system" });

        // glibc's defaults map at least one 64 MiB buffer afresh per step; kept memory saves all of those faults.
        Assert.True(returned - kept > Steps * PagesPerBuffer,
            $"minor page faults: {kept:N0} with freed memory kept, {returned:N0} with glibc's defaults ({Steps} steps of {PagesPerBuffer:N0}-page buffers)");
    }

    private static long MinorPageFaults(IReadOnlyDictionary<string, string> environment)
    {
        using var temp = new TempDirectory();
        var spec = CliHarness.Example("basics", "basic-rnn.yaml");
        var (exit, _, stderr) = CliProcess.Run(environment, [LongSequenceRun[0], spec, .. LongSequenceRun[1..], "--results", temp.Path]);
        Assert.True(exit == 0, stderr);
        var folder = Directory.GetDirectories(Path.Combine(temp.Path, "basic-rnn")).Single(d => !d.EndsWith(".claims", StringComparison.Ordinal));
        return RunSummary.Read(Path.Combine(folder, "summary.json")).MinorPageFaults ?? throw new InvalidOperationException("no minor_page_faults in summary.json");
    }
}
