using System.Diagnostics;
using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Data.Text;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Reliability;

/// <summary>
/// Inputs with no end or no length — /dev/zero, pipes, FIFOs — and absurd values are refused quickly with one line
/// and exit 2, by counting what is actually read; a FIFO or a process substitution is read exactly once.
/// </summary>
[Collection(TorchCollection.Name)]
public class BoundedInputTests
{
    [Theory]
    [InlineData("validate", "/dev/zero")]
    [InlineData("run", "/dev/zero")]
    public void A_spec_with_no_end_is_refused_after_a_megabyte(string command, string path)
    {
        var clock = Stopwatch.StartNew();
        var (exit, _, stderr) = CliHarness.Run(command, path);

        Assert.Equal(2, exit);
        Assert.Equal("error: /dev/zero: is larger than 1,048,576 bytes, the most a spec may be", stderr.Trim());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Trait(TestLevel.Key, TestLevel.Process)]
    [Fact]
    public void A_spec_from_a_fifo_or_a_process_substitution_is_read_once_and_saved_whole()
    {
        using var temp = new TempDirectory();
        var spec = CliHarness.Example("basics", "basic-rnn.yaml");
        var (exit, stdout, stderr) = CliProcess.RunShell(
            $"'{CliProcess.Executable}' run <(cat '{spec}') --set training.epochs=1 --results '{temp.Path}' -q", temp.Path);
        Assert.True(exit == 0, stderr);
        var folder = Directory.GetDirectories(Path.Combine(temp.Path, "basic-rnn")).Single(d => !Path.GetFileName(d).StartsWith('.'));
        Assert.EndsWith(File.ReadAllText(spec), File.ReadAllText(Path.Combine(folder, "spec.yaml")));

        var fifo = temp.File("spec.fifo");
        var (validateExit, validateOut, validateErr) = CliProcess.RunShell(
            $"mkfifo '{fifo}' && (cat '{spec}' > '{fifo}' &) && timeout 20 '{CliProcess.Executable}' validate '{fifo}'", temp.Path);
        Assert.True(validateExit == 0, validateErr);
        Assert.Contains("ok (3 layers", validateOut);
        Assert.Contains("Results:", stdout);
    }

    [Fact]
    public void Predict_refuses_a_review_file_with_no_end()
    {
        var (exit, _, stderr) = CliHarness.Run("predict", "/nonexistent-run", "--file", "/dev/zero");

        Assert.Equal(2, exit);
        Assert.Contains("/dev/zero: more than 16,777,216 bytes, the most a text file may be", stderr);
    }

    [Fact]
    public void A_data_path_that_is_a_device_is_refused_by_validate()
    {
        var (exit, _, stderr) = CliHarness.Run("validate", CliHarness.Example("imdb", "lstm.yaml"), "--set", "data.path=/dev/zero");

        Assert.Equal(2, exit);
        Assert.Contains("data.path: /dev/zero: is empty or not a regular file", stderr);
    }

    [Fact]
    public void A_list_position_beyond_any_integer_is_invalid_input_not_a_crash()
    {
        var (exit, _, stderr) = CliHarness.Run("validate", CliHarness.Example("basics", "basic-rnn.yaml"), "--set", "model[99999999999].units=1");

        Assert.Equal(2, exit);
        Assert.Contains("[99999999999] is not a list position", stderr);
        Assert.DoesNotContain("Exception", stderr);
    }

    [Fact]
    public void Hashing_a_dataset_stops_promptly_when_cancelled()
    {
        using var temp = new TempDirectory();
        var big = temp.File("big.tar.gz");
        using (var file = File.Create(big)) file.SetLength(64L << 20);
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        var clock = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => SourceFingerprint.Of(big, temp.File("cache"), cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1));
    }
}
