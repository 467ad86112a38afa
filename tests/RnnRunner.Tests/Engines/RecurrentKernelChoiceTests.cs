using RnnRunner.Core.Results;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Engines;

/// <summary>
/// Guards the choice of libtorch's recurrent kernels on any CPU, not only where the wrong one shows: a real run
/// in a child process with <c>ONEDNN_VERBOSE=1</c> (oneDNN then prints every primitive it executes) must execute
/// no oneDNN RNN primitive — ATen's cells run every LSTM, in training and in evaluation — and summary.json must
/// say so. The same probe with oneDNN switched back on must see oneDNN's LSTM primitives, so the probe itself works;
/// the <c>onednn-training</c> path must run them in training only.
/// </summary>
[Trait(TestLevel.Key, TestLevel.Process)]
[Collection(TorchCollection.Name)]
public class RecurrentKernelChoiceTests
{
    private static readonly string[] LstmRun =
    [
        "run", "--set", "model=[{type: embedding, input_dim: 30, output_dim: 8}, {type: lstm, units: 16}, {type: dense, units: 1, activation: sigmoid}]",
        "--set", "training.epochs=1", "--set", "data.train_samples=200", "--set", "data.test_samples=50", "-q",
    ];

    [Fact]
    public void LSTM_training_and_evaluation_run_no_oneDNN_recurrent_primitive()
    {
        var (primitives, summary) = Run(new Dictionary<string, string> { ["ONEDNN_VERBOSE"] = "1" });

        Assert.Empty(primitives);
        Assert.StartsWith("aten", summary.RecurrentKernels);
    }

    [Fact]
    public void The_probe_sees_oneDNN_when_oneDNN_runs_the_LSTM()
    {
        var (primitives, summary) = Run(new Dictionary<string, string> { ["ONEDNN_VERBOSE"] = "1", ["RNNRUNNER_LSTM_KERNELS"] = "onednn" });

        Assert.Contains(primitives, p => p.Contains("forward_training", StringComparison.Ordinal));
        Assert.Contains(primitives, p => p.Contains("forward_inference", StringComparison.Ordinal));
        Assert.StartsWith("onednn", summary.RecurrentKernels);
    }

    [Fact]
    public void The_onednn_training_path_trains_LSTMs_on_oneDNN_and_evaluates_them_on_ATen()
    {
        var (primitives, summary) = Run(new Dictionary<string, string> { ["ONEDNN_VERBOSE"] = "1", ["RNNRUNNER_LSTM_KERNELS"] = "onednn-training" });

        Assert.Contains(primitives, p => p.Contains("forward_training", StringComparison.Ordinal));
        Assert.Contains(primitives, p => p.Contains("backward", StringComparison.Ordinal));
        Assert.DoesNotContain(primitives, p => p.Contains("forward_inference", StringComparison.Ordinal));
        Assert.StartsWith("onednn-training", summary.RecurrentKernels);
    }

    /// <summary>The oneDNN RNN primitives the run executed (implementation and propagation kind), and its summary.</summary>
    private static (IReadOnlyList<string> Primitives, RunSummary Summary) Run(IReadOnlyDictionary<string, string> environment)
    {
        using var temp = new TempDirectory();
        var (exit, stdout, stderr) = CliProcess.Run(environment, [.. LstmRun, "--results", temp.Path]);
        Assert.True(exit == 0, stderr);
        var primitives = stdout.Split('\n')
            .Where(line => line.StartsWith("onednn_verbose", StringComparison.Ordinal) && line.Contains(",exec,cpu,rnn,", StringComparison.Ordinal))
            .Select(line => string.Join(',', line.Split(',').Skip(6).Take(2)))
            .Distinct().ToList();
        var folder = Directory.GetDirectories(Path.Combine(temp.Path, "basic-rnn")).Single(d => !d.EndsWith(".claims", StringComparison.Ordinal));
        return (primitives, RunSummary.Read(Path.Combine(folder, "summary.json")));
    }
}
