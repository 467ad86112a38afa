using System.Text.Json;
using Google.Protobuf;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Export;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Tests.Engines.Scratch;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Export;

/// <summary>
/// <c>rnnrunner export</c> on a trained text model (the tickets example): the folder it writes, how a text reads
/// through its tokenizer.json, predict --model against predict on the run, and what it refuses.
/// </summary>
[Collection(TorchCollection.Name)]
public class ExportCommandTests(TicketsModel model) : IClassFixture<TicketsModel>
{
    private static readonly string[] Texts = ["refund my invoice please, i was charged twice", "the app crashes when i log in", "zzz unknownword", "<br />PASSWORD reset!!"];

    private string Export(TempDirectory temp, params string[] options) => ExportJson(temp, options).GetProperty("folder").GetString()!;

    private JsonElement ExportJson(TempDirectory temp, params string[] options)
    {
        var (exit, stdout, errors) = CliHarness.Run(["export", model.Run, "-o", temp.File("model"), .. options, "--json"]);
        Assert.True(exit == 0, errors);
        return JsonDocument.Parse(stdout).RootElement;
    }

    [Fact]
    public void An_exported_model_predicts_what_the_run_predicts_through_onnx_runtime_and_its_tokenizer()
    {
        using var temp = new TempDirectory();
        var folder = Export(temp);

        var texts = Texts.SelectMany(t => new[] { "--text", t }).ToArray();
        var (exit, fromExport, errors) = CliHarness.Run(["predict", "--model", Path.Combine(folder, "model.onnx"), .. texts]);
        var (_, fromRun, _) = CliHarness.Run(["predict", model.Run, .. texts]);

        Assert.True(exit == 0, errors);
        Assert.Equal(Texts.Length, fromRun.Trim().Split('\n').Length);
        Assert.Equal(fromRun, fromExport); // class, probability to 4 places, text: line for line
        Assert.Equal(["MODEL_CARD.md", "config.json", "model.onnx", "tokenizer.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_csharp_sample_in_the_docs_prints_what_predict_prints()
    {
        using var temp = new TempDirectory();
        var folder = Export(temp);
        var sample = new System.Diagnostics.ProcessStartInfo("dotnet", ["run", Path.Combine(Support.Specs.RepositoryRoot, "docs/samples/predict-onnx.cs"), "--", folder, .. Texts])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = temp.Path,
        };

        using var process = System.Diagnostics.Process.Start(sample)!;
        var printed = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var (_, predicted, _) = CliHarness.Run(["predict", model.Run, .. Texts.SelectMany(t => new[] { "--text", t })]);

        var output = await printed;
        Assert.True(process.ExitCode == 0, errors + output);
        Assert.Equal(predicted.ReplaceLineEndings("\n"), output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Every_onnx_export_is_checked_against_the_run_s_engine_and_a_graph_that_differs_is_not_written()
    {
        using var temp = new TempDirectory();
        var check = ExportJson(temp).GetProperty("onnx_check");
        var trained = TrainedModel.Load(RunFolder.Open(model.Run));
        var altered = trained with { Weights = [.. trained.Weights.Select(w => w.Name.EndsWith(".weight_ih", StringComparison.Ordinal) ? w with { Values = [.. w.Values.Select(v => v * 1.01f)] } : w)] };

        var refused = Assert.Throws<ExportException>(() => OnnxExportCheck.Run(altered, ModelExport.Onnx(altered).ToByteArray(), TraceTests.Engines.Value, out _));

        Assert.Equal(OnnxExportCheck.Examples, check.GetProperty("examples").GetInt32());
        Assert.InRange(check.GetProperty("difference").GetDouble(), 0, check.GetProperty("tolerance").GetDouble());
        Assert.StartsWith("model.onnx differs from the scratch engine by ", refused.Message);
        Assert.Contains("At export, ONNX Runtime gives the scratch engine's outputs on 32 test examples to within ", File.ReadAllText(temp.File("model/MODEL_CARD.md")));
    }

    [Fact]
    public void The_tokenizer_file_encodes_every_text_as_the_run_does()
    {
        using var temp = new TempDirectory();
        var folder = Export(temp);
        var run = RunFolder.Open(model.Run);
        var spec = (Core.Specs.TextDataSpec)TrainedSpec.Load(run).Spec.Data;
        var trained = new TextEncoding(spec, Vocabulary.Parse(run.ReadDataFile(run.Vocabulary), run.Vocabulary));

        var exported = TokenizerFile.Read(Path.Combine(folder, TokenizerFile.Name), out var settings);

        Assert.Equal((spec.Maxlen, spec.Padding, spec.Truncating, spec.OovChar, spec.StartChar), (settings.Maxlen, settings.Padding, settings.Truncating, settings.OovChar, settings.StartChar));
        var words = File.ReadLines(Path.Combine(Support.Specs.RepositoryRoot, "experiments/data/tickets.csv")).Skip(1).Take(50).Concat(Texts);
        Assert.All(words, text => Assert.Equal(trained.EncodeIds(text).Ids, exported.EncodeIds(text).Ids));
    }

    [Fact]
    public void The_model_card_states_data_architecture_training_and_test_metrics_with_their_interval()
    {
        using var temp = new TempDirectory();
        var card = File.ReadAllText(Path.Combine(Export(temp), ModelCard.Name));
        var summary = RunSummary.Read(RunFolder.Open(model.Run).Summary);

        Assert.Contains("## Data and preprocessing", card);
        Assert.Contains("- Classes: `account`, `billing`, `technical`.", card);
        Assert.Contains($"Total params: {summary.Parameters:N0}", card);
        Assert.Contains($"- test_accuracy: {summary.TestMetrics!["test_accuracy"]:F4} (95 % interval ", card);
        Assert.Contains("## Intended use and limitations", card);
    }

    [Fact]
    public void Safetensors_hold_every_weight_under_its_pytorch_name_in_the_format_s_byte_layout()
    {
        using var temp = new TempDirectory();
        var folder = Export(temp, "--format", "safetensors");
        var bytes = File.ReadAllBytes(Path.Combine(folder, PyTorchExport.WeightsName));
        var weights = WeightsFile.Load(RunFolder.Open(model.Run).Weights);

        var length = (long)BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0, length % 8); // the header is padded to 8 bytes
        var header = JsonDocument.Parse(bytes.AsMemory(8, (int)length)).RootElement;
        var tensors = header.EnumerateObject().Where(p => p.Name != "__metadata__").ToList();
        Assert.Equal(["layer0.weight", "layer1.weight_ih_l0", "layer1.weight_hh_l0", "layer1.bias_ih_l0", "layer1.bias_hh_l0", "layer2.weight", "layer2.bias"],
            tensors.Select(t => t.Name));
        long next = 0;
        foreach (var tensor in tensors) // back to back, no gaps, the data exactly filled
        {
            var offsets = tensor.Value.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
            Assert.Equal(next, offsets[0]);
            Assert.Equal("F32", tensor.Value.GetProperty("dtype").GetString());
            Assert.Equal(tensor.Value.GetProperty("shape").EnumerateArray().Aggregate(4L, (n, d) => n * d.GetInt64()), offsets[1] - offsets[0]);
            next = offsets[1];
        }
        Assert.Equal(8 + length + next, bytes.Length);
        var read = Safetensors.Read(Path.Combine(folder, PyTorchExport.WeightsName), out var metadata);
        Assert.Equal("pt", metadata["format"]);
        foreach (var (engine, pytorch) in PyTorchExport.NameMap(TrainedSpec.Load(RunFolder.Open(model.Run)).Plan))
            Assert.Equal(weights.Single(w => w.Name == engine).Values, read.Single(t => t.Name == pytorch).Values);
    }

    [Fact]
    public void A_bidirectional_layer_s_backward_weights_take_pytorch_s_reverse_names_and_dropout_and_pooling_have_none()
    {
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, "model[1]={type: bidirectional, layer: {type: gru, units: 3, return_sequences: true}}",
            "model[2]={type: dropout, rate: 0.2}", "model[3]={type: global_max_pooling}", "model[4]={type: dense, units: 1, activation: sigmoid}");

        var names = PyTorchExport.NameMap(spec.Plan).ToList();

        Assert.Equal([("model[0].embeddings", "layer0.weight"),
            ("model[1].forward.weight_ih", "layer1.weight_ih_l0"), ("model[1].forward.weight_hh", "layer1.weight_hh_l0"),
            ("model[1].forward.bias_ih", "layer1.bias_ih_l0"), ("model[1].forward.bias_hh", "layer1.bias_hh_l0"),
            ("model[1].backward.weight_ih", "layer1.weight_ih_l0_reverse"), ("model[1].backward.weight_hh", "layer1.weight_hh_l0_reverse"),
            ("model[1].backward.bias_ih", "layer1.bias_ih_l0_reverse"), ("model[1].backward.bias_hh", "layer1.bias_hh_l0_reverse"),
            ("model[4].weight", "layer4.weight"), ("model[4].bias", "layer4.bias")], names);
        Assert.Contains("self.layer1 = nn.GRU(8, 3, batch_first=True, bidirectional=True)", PyTorchModule.Source(spec.Plan, "tiny", "001"));
    }

    [Fact]
    public void The_generated_pytorch_module_is_valid_python()
    {
        using var temp = new TempDirectory();
        var module = Path.Combine(Export(temp, "--format", "safetensors"), PyTorchExport.ModuleName);

        var python = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("python3", ["-m", "py_compile", module]) { RedirectStandardError = true })!;
        var errors = python.StandardError.ReadToEnd();
        python.WaitForExit();

        Assert.True(python.ExitCode == 0, errors);
        var source = File.ReadAllText(module);
        Assert.Contains("self.layer1 = nn.LSTM(16, 16, batch_first=True)", source);
        Assert.Contains("x, real, lengths = pack_real_steps(x)", source); // the tickets model masks padding
    }

    [Fact]
    public void Exporting_again_replaces_the_folder_whole_and_a_failed_export_leaves_nothing()
    {
        using var temp = new TempDirectory();
        var folder = Export(temp, "--format", "safetensors");
        File.WriteAllText(Path.Combine(folder, "stale.txt"), "from before");

        Export(temp);
        var (exit, _, errors) = CliHarness.Run("export", temp.Path, "-o", temp.File("broken"));

        Assert.False(File.Exists(Path.Combine(folder, "stale.txt")));
        Assert.True(File.Exists(Path.Combine(folder, "model.onnx")));
        Assert.False(File.Exists(Path.Combine(folder, PyTorchExport.WeightsName)));
        Assert.Equal(2, exit);
        Assert.Single(errors.Trim().Split('\n'));
        Assert.Equal(["model"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName)); // no broken/, no staging folder
    }

    [Fact]
    public void A_folder_of_other_files_is_never_replaced()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("mine"));
        File.WriteAllText(temp.File("mine/thesis.tex"), "months of work");

        var (exit, _, errors) = CliHarness.Run("export", model.Run, "-o", temp.File("mine"));
        var (intoRun, _, _) = CliHarness.Run("export", model.Run, "-o", model.Run);

        Assert.Equal(2, exit);
        Assert.Equal($"error: {temp.File("mine")} holds other files: export replaces only an earlier export (or an empty folder); choose a new folder with -o", errors.Trim());
        Assert.Equal("months of work", File.ReadAllText(temp.File("mine/thesis.tex")));
        Assert.Equal(2, intoRun);
        Assert.True(File.Exists(Path.Combine(model.Run, "weights.bin")));
        Assert.Equal(["mine"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName)); // no staging folder left
    }

    [Theory]
    [InlineData("export|/nonexistent-run", "error: /nonexistent-run: no such run folder")]
    [InlineData("export|{run}|--format|tflite", "error: --format tflite: choose onnx or safetensors")]
    [InlineData("predict|--model|/nonexistent/model.onnx|--text|hi", "error: /nonexistent/model.onnx: no such export folder or model.onnx (make one with rnnrunner export <run>)")]
    [InlineData("predict|{run}|--model|x.onnx|--text|hi", "error: give a run folder or --model, not both")]
    public void Wrong_requests_are_one_line_errors(string arguments, string message)
    {
        var (exit, _, errors) = CliHarness.Run(arguments.Replace("{run}", model.Run, StringComparison.Ordinal).Split('|'));

        Assert.Equal(2, exit);
        Assert.Equal(message, errors.Trim().Split('\n')[0]);
    }
}
