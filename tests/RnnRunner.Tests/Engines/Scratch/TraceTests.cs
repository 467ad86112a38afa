using RnnRunner.Core.Engines;
using RnnRunner.Core.Inspection;
using RnnRunner.Core.Specs;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Engines.Scratch;

/// <summary>
/// <c>trace</c> on fixed tiny models, checked against values worked out by hand from the equations — on both engines:
/// the scratch engine reads its cells' memories, the torch engine steps its cells with libtorch ops.
/// </summary>
[Collection(TorchCollection.Name)]
public class TraceTests
{
    private static NamedTensor T(string name, int[] shape, params float[] values) => new(name, shape, values);

    /// <summary>Both engines, created once for the inspection tests.</summary>
    internal static readonly Lazy<EngineCatalog> Engines = new(TestRuns.Engines);

    /// <summary>An inspector of <paramref name="spec"/> on <paramref name="engine"/>.</summary>
    internal static ModelInspector Inspector(Core.Loading.LoadedSpec spec, IReadOnlyList<NamedTensor>? weights, EngineKind engine = EngineKind.Scratch) =>
        new(Engines.Value.For(engine), spec, weights);

    /// <summary>Example <paramref name="index"/> of the spec's training split.</summary>
    internal static TraceExample Example(Core.Loading.LoadedSpec spec, int index) =>
        TraceExample.FromSplit(Core.Data.DataSources.LoadSplits(spec.Spec.Data, 0, spec.Spec.Seed).Train, "training", index, null, null);

    /// <summary>Example <paramref name="index"/> of the spec's training split, traced whole.</summary>
    internal static ModelTrace Traced(Core.Loading.LoadedSpec spec, IReadOnlyList<NamedTensor>? weights, int index, EngineKind engine = EngineKind.Scratch)
    {
        using var inspector = Inspector(spec, weights, engine);
        return inspector.Trace(Example(spec, index));
    }

    /// <summary>Embedding row for token id: (id/10, −id/20): easy to recompute by hand.</summary>
    private static NamedTensor Embedding(int vocabulary, int dims) =>
        T("model[0].embeddings", [vocabulary, dims], Enumerable.Range(0, vocabulary)
            .SelectMany(id => dims == 2 ? new[] { id / 10f, -id / 20f } : [id / 10f]).ToArray());

    [Theory]
    [InlineData(EngineKind.Scratch)]
    [InlineData(EngineKind.Torch)]
    public void A_simple_rnn_trace_matches_the_hand_computed_states(EngineKind engine)
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

        var trace = Traced(spec, weights, 0, engine);

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

    [Theory]
    [InlineData(EngineKind.Scratch)]
    [InlineData(EngineKind.Torch)]
    public void An_lstm_trace_matches_the_hand_computed_gates_and_cell_state(EngineKind engine)
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

        var trace = Traced(spec, weights, 0, engine);

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
        var trace = Traced(spec, weights: null, 2);
        using var text = new StringWriter();

        TraceWriter.Write(trace, text, new TraceView(MaxValues: 2, Steps: 2));

        var output = text.ToString();
        Assert.Contains("Example 2 of the training split: 10 step(s); true label: ", output);
        Assert.Contains("model[1] bidirectional(lstm), forward direction (the first 2 steps)", output);
        Assert.Contains("Prediction after each word (sigmoid output", output);
        Assert.Contains("model[1] bidirectional(lstm), forward direction", output);
        Assert.Contains("model[1] bidirectional(lstm), backward direction", output);
        foreach (var label in new[] { "t=0", "t=1", "x_t", "i_t", "f_t", "g_t", "o_t", "c_t", "h_t", "output (sigmoid)" })
            Assert.Contains(label, output);
        Assert.Contains("… (3 values)", output);
        // The backward direction reads the sequence from its end.
        Assert.True(output.LastIndexOf("t=1", StringComparison.Ordinal) < output.LastIndexOf("t=0", StringComparison.Ordinal));
    }

    [Fact]
    public void The_prediction_after_each_word_is_the_model_run_on_the_sequence_up_to_that_word()
    {
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, "model[1]={type: gru, units: 3}");
        var full = Traced(spec, weights: null, 1);
        using var inspector = Inspector(spec, weights: null);

        // By brute force: each prefix traced as a sequence of its own (no padding: this data has none).
        foreach (var t in new[] { 0, 4, full.Example.Steps - 1 })
        {
            var prefix = TraceExample.FromIds("prefix", full.Tokens!.Take(t + 1).ToArray(), t + 1, Core.Specs.SequenceSide.Pre, null);
            Assert.Equal(inspector.Trace(prefix).Output, full.AfterEachStep![t]!, (a, b) => Math.Abs(a - b) < 1e-6);
        }
        Assert.Equal(full.Output, full.AfterEachStep![^1]!);

        // A padded sequence (no mask: padding steps move the state): each prefix is padded back to the full length.
        var padded = inspector.Trace(TraceExample.FromIds("padded", full.Tokens!.Take(6).ToArray(), 10, Core.Specs.SequenceSide.Pre, null));
        foreach (var k in new[] { 1, 3 })
        {
            var prefix = TraceExample.FromIds("prefix", full.Tokens!.Take(k).ToArray(), 10, Core.Specs.SequenceSide.Pre, null);
            Assert.Equal(inspector.Trace(prefix).Output, padded.AfterEachStep![4 + k - 1]!, (a, b) => Math.Abs(a - b) < 1e-6);
        }
    }

    [Theory]
    [InlineData(-0.00001f, "-0.0000")]
    [InlineData(0f, "+0.0000")]
    [InlineData(0.5f, "+0.5000")]
    [InlineData(-1.23456f, "-1.2346")]
    public void Numbers_print_with_one_sign_to_four_places(float value, string text) => Assert.Equal(text, TraceWriter.Number(value));

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
    [InlineData("--steps", "-1", "at least 0")]
    [InlineData("--text", "great", "--text needs a model of text")]
    public void Bad_trace_options_get_a_one_line_error(string option, string value, string message)
    {
        var (exit, _, errors) = CliHarness.Run("trace", CliHarness.Example("basics", "basic-rnn.yaml"), option, value);

        Assert.Equal(2, exit);
        Assert.Contains(message, errors);
        Assert.Single(errors.Trim().Split('\n'));
    }
}

/// <summary>The tickets model (a text table, softmax over three queues), trained once for the trace tests on a text model.</summary>
public sealed class TicketsModel : IDisposable
{
    private readonly TempDirectory _temp = new();

    public string Run { get; }

    public TicketsModel()
    {
        var (exit, stdout, stderr) = CliHarness.Run("run", CliHarness.Example("data", "tickets.yaml"), "--set", "training.epochs=4", "--set", $"data.path={CliHarness.Example("data", "tickets.csv")}",
            "--results", _temp.File("results"), "--json", "-q");
        Assert.True(exit == 0, stderr);
        Run = System.Text.Json.JsonDocument.Parse(stdout).RootElement.GetProperty("results").GetString()!;
    }

    public void Dispose() => _temp.Dispose();
}

[Collection(TorchCollection.Name)]
public class TraceTextTests(TicketsModel model) : IClassFixture<TicketsModel>
{
    private System.Text.Json.JsonElement TraceJson(params string[] options)
    {
        var (exit, stdout, stderr) = CliHarness.Run(["trace", model.Run, .. options, "--json"]);
        Assert.True(exit == 0, stderr);
        return System.Text.Json.JsonDocument.Parse(stdout).RootElement;
    }

    private static float[] Floats(System.Text.Json.JsonElement array) => array.EnumerateArray().Select(v => v.GetSingle()).ToArray();

    [Fact]
    public void Your_own_text_is_traced_in_words_with_padding_left_out_and_its_output_is_what_predict_says()
    {
        var trace = TraceJson("--text", "Refund my invoice please", "--steps", "0");
        var (exit, predicted, _) = CliHarness.Run("predict", model.Run, "--text", "Refund my invoice please");

        Assert.Equal(0, exit);
        Assert.Equal(["<start>", "refund", "my", "invoice", "please"], trace.GetProperty("words").EnumerateArray().Select(w => w.GetProperty("word").GetString()));
        Assert.Equal(40 - 5, trace.GetProperty("example").GetProperty("padding_steps").GetInt32()); // padded to maxlen as predict pads
        var layer = trace.GetProperty("layers")[0];
        Assert.Equal(5, layer.GetProperty("steps").GetArrayLength()); // the padding steps are not shown
        var output = Floats(trace.GetProperty("output"));
        Assert.Equal(output, Floats(trace.GetProperty("after_each_step")[4].GetProperty("output")));
        var classes = new[] { "account", "billing", "technical" };
        Assert.StartsWith(classes[Array.IndexOf(output, output.Max())] + "\t", predicted);
        Assert.Contains(output.Max().ToString("F4", System.Globalization.CultureInfo.InvariantCulture), predicted);
    }

    [Fact]
    public void Each_word_s_prediction_equals_tracing_the_text_up_to_that_word()
    {
        var whole = TraceJson("--text", "my password reset link never arrived");
        var after = whole.GetProperty("after_each_step");

        for (var k = 1; k <= 6; k += 2)
        {
            var prefix = string.Join(' ', "my password reset link never arrived".Split(' ')[..k]);
            Assert.Equal(Floats(TraceJson("--text", prefix).GetProperty("output")), Floats(after[k].GetProperty("output")), // after[0]: <start>
                (a, b) => Math.Abs(a - b) < 1e-6);
        }
    }

    [Fact]
    public void The_text_form_names_the_words_the_true_label_and_shows_padding_only_when_asked()
    {
        var (exit, text, errors) = CliHarness.Run("trace", model.Run, "--example", "3", "--steps", "2", "--values", "3");
        var (_, padded, _) = CliHarness.Run("trace", model.Run, "--example", "3", "--steps", "2", "--padding", "--ids");

        Assert.True(exit == 0, errors);
        Assert.Matches(@"Example 3 of the training split: \d+ step\(s\) after \d+ padding step\(s\) \(left out; --padding shows them\); true label: (account|billing|technical)\.", text);
        Assert.Contains("Prediction after each word (softmax output", text);
        Assert.DoesNotContain("<pad>", text);
        Assert.Contains("<pad>[0]", padded);
        Assert.Matches(@"output \(softmax\): \[[+-]\d\.\d{4} [+-]\d\.\d{4} [+-]\d\.\d{4}\]", text);
    }
}

[Collection(TorchCollection.Name)]
public class ExplainTests(TicketsModel model) : IClassFixture<TicketsModel>
{
    private const string Text = "Refund my invoice please, I was charged twice";

    private static float[] Output(System.Text.Json.JsonElement trace) => trace.GetProperty("output").EnumerateArray().Select(v => v.GetSingle()).ToArray();

    private System.Text.Json.JsonElement Trace(string text)
    {
        var (exit, stdout, stderr) = CliHarness.Run("trace", model.Run, "--text", text, "--json");
        Assert.True(exit == 0, stderr);
        return System.Text.Json.JsonDocument.Parse(stdout).RootElement;
    }

    [Fact]
    public void Each_word_s_occlusion_is_the_output_less_a_rerun_without_that_word_and_the_page_and_numbers_are_saved_in_the_run()
    {
        var (exit, stdout, stderr) = CliHarness.Run("explain", model.Run, "--text", Text, "--json");

        Assert.True(exit == 0, stderr);
        var saved = System.Text.Json.JsonDocument.Parse(stdout).RootElement;
        var page = saved.GetProperty("page").GetString()!;
        Assert.StartsWith(Path.Combine(model.Run, "explanations"), page);
        var numbers = System.Text.Json.JsonDocument.Parse(File.ReadAllText(saved.GetProperty("numbers").GetString()!)).RootElement;
        var classes = new[] { "account", "billing", "technical" };
        var full = Output(Trace(Text));
        var chosen = Array.IndexOf(full, full.Max());
        Assert.Equal($"P({classes[chosen]})", numbers.GetProperty("explained").GetString());
        var words = numbers.GetProperty("words").EnumerateArray().ToList();
        Assert.Equal(["<start>", "refund", "my", "invoice", "please", "i", "was", "charged", "twice"], words.Select(w => w.GetProperty("word").GetString()));
        var typed = Text.Replace(",", "", StringComparison.Ordinal).Split(' ');
        foreach (var k in new[] { 1, 4, 8 }) // by brute force: the text traced again without word k (word 0 is <start>)
        {
            var without = string.Join(' ', typed.Where((_, j) => j != k - 1));
            Assert.Equal(full[chosen] - Output(Trace(without))[chosen], words[k].GetProperty("occlusion").GetDouble(), 5);
        }
    }

    [Fact]
    public void Explaining_a_training_example_names_its_true_label_and_the_words_that_moved_the_answer()
    {
        var (exit, stdout, stderr) = CliHarness.Run("explain", model.Run, "--example", "3");

        Assert.True(exit == 0, stderr);
        Assert.Matches(@"^tickets: example 3 of the training split → (account|billing|technical) \(P\(\1\) = 0\.\d{4}\); true label (account|billing|technical)", stdout);
        Assert.Contains("  raised it most:  ", stdout);
        Assert.Matches(@"Explanation: .*explanations/\d{3}\.html", stdout);
    }

    [Fact]
    public void A_text_read_from_a_file_is_explained_as_if_typed_and_both_at_once_is_refused()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("ticket.txt"), Text + "\n");

        var (exit, fromFile, errors) = CliHarness.Run("explain", model.Run, "--file", temp.File("ticket.txt"));
        var (_, typed, _) = CliHarness.Run("explain", model.Run, "--text", Text);
        var (both, _, refusal) = CliHarness.Run("explain", model.Run, "--text", Text, "--file", temp.File("ticket.txt"));

        Assert.True(exit == 0, errors);
        static string Summary(string output) => string.Join('\n', output.Split('\n').Where(l => !l.StartsWith("Explanation:", StringComparison.Ordinal)));
        Assert.Equal(Summary(typed), Summary(fromFile));
        Assert.Equal(2, both);
        Assert.Equal("error: give --text or --file, not both", refusal.Trim());
    }

    [Fact]
    public void Each_text_of_an_input_file_gets_its_own_page_with_the_numbers_it_would_get_typed()
    {
        using var temp = new TempDirectory();
        const string Other = "the app crashes when i log in";
        File.WriteAllText(temp.File("tickets.csv"), $"id,body\n1,\"{Text}\"\n2,{Other}\n");
        File.WriteAllText(temp.File("tickets.txt"), $"{Text}\n\n{Other}\n");

        var (exit, stdout, errors) = CliHarness.Run("explain", model.Run, "--input", temp.File("tickets.csv"), "--column", "body", "--json");
        var (lines, fromLines, _) = CliHarness.Run("explain", model.Run, "--input", temp.File("tickets.txt"));

        Assert.True(exit == 0, errors);
        var pages = System.Text.Json.JsonDocument.Parse(stdout).RootElement.GetProperty("explanations").EnumerateArray().ToList();
        Assert.Equal([temp.File("tickets.csv") + ":2", temp.File("tickets.csv") + ":3"], pages.Select(p => p.GetProperty("origin").GetString()));
        Assert.Equal(2, pages.Select(p => p.GetProperty("page").GetString()).Distinct().Count(File.Exists));
        foreach (var (page, typed) in pages.Zip(new[] { Text, Other }))
        {
            var (_, alone, _) = CliHarness.Run("explain", model.Run, "--text", typed, "--json");
            Assert.Equal(System.Text.Json.JsonDocument.Parse(alone).RootElement.GetProperty("final").GetDouble(), page.GetProperty("final").GetDouble(), 6);
        }
        Assert.Equal(0, lines);
        Assert.Matches($@"^tickets: {System.Text.RegularExpressions.Regex.Escape(temp.File("tickets.txt"))}:1 → ", fromLines);
        Assert.Contains($"tickets: {temp.File("tickets.txt")}:3 → ", fromLines); // the blank line 2 is skipped, as predict skips it
        Assert.Equal(2, fromLines.Split('\n').Count(l => l.StartsWith("Explanation: ", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_input_file_with_another_text_or_a_missing_column_is_refused_in_one_line()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("tickets.csv"), "id,body\n1,hello\n");
        int Pages() => Directory.Exists(Path.Combine(model.Run, "explanations")) ? Directory.GetFiles(Path.Combine(model.Run, "explanations"), "*.html").Length : 0;
        var before = Pages();

        var (both, _, twice) = CliHarness.Run("explain", model.Run, "--input", temp.File("tickets.csv"), "--text", Text);
        var (missing, _, column) = CliHarness.Run("explain", model.Run, "--input", temp.File("tickets.csv"));

        Assert.Equal((2, "error: give --input, or --text or --file, not both"), (both, twice.Trim()));
        Assert.Equal((2, $"error: {temp.File("tickets.csv")}:1: has no column 'text' (its columns: id, body)"), (missing, column.Trim()));
        Assert.Equal(before, Pages());
    }

    [Theory]
    [InlineData("/nonexistent-run", "no such run folder")]
    public void Explain_without_a_run_is_one_line_error(string run, string message)
    {
        var (exit, _, errors) = CliHarness.Run("explain", run);

        Assert.Equal(2, exit);
        Assert.Contains(message, errors);
        Assert.Single(errors.Trim().Split('\n'));
    }
}

public class ExplainPageWordingTests
{
    [Theory]
    [InlineData(3, "3rd")]
    [InlineData(4, "4th")]
    [InlineData(11, "11th")]
    [InlineData(12, "12th")]
    [InlineData(21, "21st")]
    [InlineData(22, "22nd")]
    [InlineData(113, "113th")]
    public void The_line_s_caption_counts_words_in_english(int every, string ordinal) =>
        Assert.Equal(ordinal, Core.Inspection.ExplainPage.Ordinal(every));
}
