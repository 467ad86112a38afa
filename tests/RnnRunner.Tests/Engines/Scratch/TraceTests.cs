using RnnRunner.Core.Engines;
using RnnRunner.Engines.Scratch.Tracing;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Engines.Scratch;

/// <summary><c>trace</c> on fixed tiny models, checked against values worked out by hand from the equations.</summary>
public class TraceTests
{
    private static NamedTensor T(string name, int[] shape, params float[] values) => new(name, shape, values);

    /// <summary>Embedding row for token id: (id/10, −id/20): easy to recompute by hand.</summary>
    private static NamedTensor Embedding(int vocabulary, int dims) =>
        T("model[0].embeddings", [vocabulary, dims], Enumerable.Range(0, vocabulary)
            .SelectMany(id => dims == 2 ? new[] { id / 10f, -id / 20f } : [id / 10f]).ToArray());

    [Fact]
    public void A_simple_rnn_trace_matches_the_hand_computed_states()
    {
        var spec = Support.Specs.Load(Support.Specs.BasicRnn,
            "model=[{type: embedding, input_dim: 12, output_dim: 2}, {type: simple_rnn, units: 2}, {type: dense, units: 1, activation: sigmoid}]");
        var weights = new[]
        {
            Embedding(12, 2),
            T("model[1].weight_ih", [2, 2], 0.5f, -0.25f, 0.1f, 0.2f),
            T("model[1].weight_hh", [2, 2], 0.3f, 0f, -0.4f, 0.6f),
            T("model[1].bias_ih", [2], 0.05f, -0.05f),
            T("model[1].bias_hh", [2], 0.01f, 0.02f),
            T("model[2].weight", [1, 2], 1f, -1f),
            T("model[2].bias", [1], 0.5f),
        };

        var trace = ModelTracer.Trace(spec, weights, example: 0, steps: 2);

        // a_t = W·x_t + b_ih + U·h_{t−1} + b_hh;  h_t = tanh(a_t)
        double[] h = [0, 0];
        foreach (var step in trace.Layers.Single().Steps)
        {
            var id = trace.Tokens![step.T];
            double x0 = id / 10.0, x1 = -id / 20.0;
            var a0 = 0.5 * x0 - 0.25 * x1 + 0.05 + 0.3 * h[0] + 0.0 * h[1] + 0.01;
            var a1 = 0.1 * x0 + 0.2 * x1 - 0.05 - 0.4 * h[0] + 0.6 * h[1] + 0.02;
            Assert.Equal([x0, x1], step.Input.Select(v => (double)v), Close);
            Assert.Equal([a0, a1], step.Gates.Single().Values.Select(v => (double)v), Close);
            h = [Math.Tanh(a0), Math.Tanh(a1)];
            Assert.Equal(h, step.Hidden.Select(v => (double)v), Close);
        }
        Assert.Equal(1 / (1 + Math.Exp(-(h[0] - h[1] + 0.5))), trace.Output.Single(), 5);
    }

    [Fact]
    public void An_lstm_trace_matches_the_hand_computed_gates_and_cell_state()
    {
        var spec = Support.Specs.Load(Support.Specs.BasicRnn,
            "model=[{type: embedding, input_dim: 12, output_dim: 1}, {type: lstm, units: 1}, {type: dense, units: 1, activation: sigmoid}]");
        // One unit, so each gate k has a scalar input weight w_k, recurrent weight u_k and bias b_k (order i, f, g, o).
        float[] w = [0.5f, -0.3f, 0.8f, 0.2f], u = [0.1f, 0.4f, -0.6f, 0.3f], b = [0f, 1f, 0.1f, -0.2f];
        var weights = new[]
        {
            Embedding(12, 1),
            T("model[1].weight_ih", [4, 1], w), T("model[1].weight_hh", [4, 1], u),
            T("model[1].bias_ih", [4], b), T("model[1].bias_hh", [4], 0f, 0f, 0f, 0f),
            T("model[2].weight", [1, 1], 2f), T("model[2].bias", [1], 0f),
        };

        var trace = ModelTracer.Trace(spec, weights, example: 0, steps: 3);

        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        double h = 0, c = 0;
        foreach (var step in trace.Layers.Single().Steps)
        {
            var x = trace.Tokens![step.T] / 10.0;
            double Pre(int k) => w[k] * x + u[k] * h + b[k];
            double i = Sigmoid(Pre(0)), f = Sigmoid(Pre(1)), g = Math.Tanh(Pre(2)), o = Sigmoid(Pre(3));
            c = f * c + i * g;
            h = o * Math.Tanh(c);
            Assert.Equal(["i", "f", "g", "o"], step.Gates.Select(gate => gate.Name));
            Assert.Equal([i, f, g, o], step.Gates.Select(gate => (double)gate.Values.Single()), Close);
            Assert.Equal(c, step.Cell!.Single(), 5);
            Assert.Equal(h, step.Hidden.Single(), 5);
        }
        Assert.Equal(Sigmoid(2 * h), trace.Output.Single(), 5);
    }

    [Fact]
    public void The_printed_trace_names_every_step_gate_and_state()
    {
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, "model[1]={type: bidirectional, layer: {type: lstm, units: 3}}");
        var trace = ModelTracer.Trace(spec, weights: null, example: 2, steps: 2);
        using var text = new StringWriter();

        TraceWriter.Write(trace, text, maxValues: 2);

        var output = text.ToString();
        Assert.Contains("Example 2 of the training split, first 2 of 10 steps.", output);
        Assert.Contains("model[1] bidirectional(lstm), forward direction", output);
        Assert.Contains("model[1] bidirectional(lstm), backward direction", output);
        foreach (var label in new[] { "t=0", "t=1", "x_t", "i_t", "f_t", "g_t", "o_t", "c_t", "h_t", "output (sigmoid)" })
            Assert.Contains(label, output);
        Assert.Contains("… (3 values)", output);
        // The backward direction reads the sequence from its end.
        Assert.True(output.LastIndexOf("t=1", StringComparison.Ordinal) < output.LastIndexOf("t=0", StringComparison.Ordinal));
    }

    private static readonly IEqualityComparer<double> Close = EqualityComparer<double>.Create((a, b) => Math.Abs(a - b) < 1e-5, _ => 0);
}

[Collection(TorchCollection.Name)]
public class TraceCommandTests
{
    [Fact]
    public void Trace_prints_each_step_of_a_spec_and_of_a_trained_run()
    {
        var spec = CliHarness.Example("basics", "stacked-rnn.yaml");
        var (exit, output, errors) = CliHarness.Run("trace", spec, "--steps", "2", "--values", "3");

        Assert.True(exit == 0, errors);
        Assert.Contains("initial weights", output);
        Assert.Contains("model[1] simple_rnn", output);
        Assert.Contains("model[2] simple_rnn", output);
        Assert.Contains("a_t", output);

        using var temp = new TempDirectory();
        var run = TestRuns.New().Execute(Support.Specs.Load(Support.Specs.BasicRnn, "training.epochs=1"), new Core.Running.RunOptions(temp.Path));
        (exit, output, errors) = CliHarness.Run("trace", run.Folder.Path, "--steps", "1");
        Assert.True(exit == 0, errors);
        Assert.Contains("trained weights", output);
    }

    [Theory]
    [InlineData("--example", "100000", "outside the training split")]
    [InlineData("--steps", "0", "at least 1")]
    public void Bad_trace_options_get_a_one_line_error(string option, string value, string message)
    {
        var (exit, _, errors) = CliHarness.Run("trace", CliHarness.Example("basics", "basic-rnn.yaml"), option, value);

        Assert.Equal(2, exit);
        Assert.Contains(message, errors);
        Assert.Single(errors.Trim().Split('\n'));
    }
}
