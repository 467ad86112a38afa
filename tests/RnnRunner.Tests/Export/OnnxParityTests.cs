using Google.Protobuf;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Export;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Tests.Engines.Scratch;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Export;

/// <summary>
/// An exported ONNX model, run by ONNX Runtime, computes what both engines compute: for every layer type, merge mode,
/// padding side and mask pattern, on weights with no zero left in them (a bias in the wrong place shows).
/// </summary>
[Collection(TorchCollection.Name)]
public class OnnxParityTests
{
    private static readonly string[] Masked = ["data.min_length=0", "model[0].mask_zero=true"];

    /// <summary>Rows of ids 1–11 of every length 0–10, padded at the front (Keras' default); as many padded at the back; and real steps with padding between them.</summary>
    private static int[] Tokens(int steps, out int rows)
    {
        var random = new Random(5);
        var all = new List<int[]>();
        for (var length = 0; length <= steps; length++)
        {
            var ids = Enumerable.Range(0, length).Select(_ => random.Next(1, 12)).ToArray();
            all.Add([.. new int[steps - length], .. ids]);
            all.Add([.. ids, .. new int[steps - length]]);
            all.Add([.. Enumerable.Range(0, steps).Select(t => t % 3 == 1 ? 0 : random.Next(1, 12))]);
        }
        rows = all.Count;
        return [.. all.SelectMany(r => r)];
    }

    /// <summary>The scratch engine's initial weights for the seed, each value moved by up to ±0.3, so no bias is zero.</summary>
    private static IReadOnlyList<NamedTensor> Weights(LoadedSpec spec)
    {
        using var built = TraceTests.Engines.Value.For(EngineKind.Scratch).Build(spec.Plan, spec.Spec.Training, DeviceKind.Cpu, 7);
        var random = new Random(11);
        return [.. built.GetWeights().Select(w => w with { Values = [.. w.Values.Select(v => v + (float)(random.NextDouble() * 0.6 - 0.3))] })];
    }

    /// <summary>Each engine's outputs for the batch equal ONNX Runtime's, to <paramref name="tolerance"/> relative (absolute below 1).</summary>
    private static void BothEnginesAgree(LoadedSpec spec, IReadOnlyList<NamedTensor> weights, Batch batch, float[] exported, double tolerance, string what)
    {
        foreach (var engine in new[] { EngineKind.Scratch, EngineKind.Torch })
        {
            using var model = TraceTests.Engines.Value.For(engine).Build(spec.Plan, spec.Spec.Training, DeviceKind.Cpu, 7);
            model.SetWeights(weights);
            var expected = model.Predict(batch).ToArray();
            Assert.Equal(expected.Length, exported.Length);
            var (worst, at) = expected.Select((e, i) => (Math.Abs(e - exported[i]) / Math.Max(1, Math.Abs(e)), i)).Max();
            Assert.True(worst <= tolerance, $"{engine}, {what}: output {at} of {expected.Length} off by {worst:G3} (engine {expected[at]}, ONNX {exported[at]})");
        }
    }

    [Theory]
    [InlineData("model[1]={type: simple_rnn, units: 6}")]
    [InlineData("model[1]={type: simple_rnn, units: 6, activation: relu}")]
    [InlineData("model[1]={type: lstm, units: 5}")]
    [InlineData("model[1]={type: gru, units: 5}")]
    [InlineData("model[1]={type: bidirectional, layer: {type: lstm, units: 4}}")]
    [InlineData("model[1]={type: bidirectional, merge_mode: sum, layer: {type: gru, units: 4}}")]
    [InlineData("model[1]={type: bidirectional, merge_mode: mul, layer: {type: simple_rnn, units: 4}}")]
    [InlineData("model[1]={type: bidirectional, merge_mode: ave, layer: {type: lstm, units: 4}}")]
    [InlineData("model[1]={type: lstm, units: 5, return_sequences: true}|model[2]={type: gru, units: 3}|model[3]={type: dense, units: 1, activation: sigmoid}")]
    [InlineData("model[1]={type: gru, units: 5, return_sequences: true}|model[2]={type: global_average_pooling}|model[3]={type: dense, units: 1, activation: sigmoid}")]
    [InlineData("model[1]={type: lstm, units: 5, return_sequences: true}|model[2]={type: global_max_pooling}|model[3]={type: dense, units: 1, activation: sigmoid}")]
    [InlineData("model[1]={type: lstm, units: 5, dropout: 0.3}|model[2]={type: dropout, rate: 0.5}|model[3]={type: dense, units: 4, activation: relu}|model[4]={type: dense, units: 1, activation: sigmoid}")]
    public void The_exported_model_computes_what_both_engines_compute_masked_or_not(string model)
    {
        foreach (var masked in new[] { false, true })
        {
            var spec = Support.Specs.Load(Support.Specs.BasicRnn, [.. model.Split('|'), .. masked ? Masked : []]);
            var weights = Weights(spec);
            var tokens = Tokens(spec.Plan.Data.Steps, out var rows);
            var batch = SequenceDataset.Unlabelled(spec.Plan.Data, rows, tokens, null).AllInOneBatch();

            using var onnx = new OnnxRunner(OnnxExport.Build(spec.Plan, weights, "tiny", "").ToByteArray());
            var exported = onnx.Run([.. tokens.Select(t => (long)t)], rows, spec.Plan.Data.Steps);

            BothEnginesAgree(spec, weights, batch, exported, 1e-5, $"masked {masked}");
        }
    }

    [Theory]
    [InlineData("model[1]={type: simple_rnn, units: 6, return_sequences: true}")]
    [InlineData("model[1]={type: bidirectional, merge_mode: concat, layer: {type: gru, units: 4, return_sequences: true}}")]
    [InlineData("model[1]={type: lstm, units: 4, return_sequences: true}|model[2]={type: bidirectional, merge_mode: sum, layer: {type: lstm, units: 3, return_sequences: true}}|model[3]={type: dense, units: 8, activation: softmax}")]
    public void A_masked_model_that_answers_at_every_step_repeats_or_zeroes_masked_steps_as_the_engines_do(string model)
    {
        // No shipped dataset pads per-step targets with id 0 (a NumPy one may), so the plan is made by hand: the
        // delayed-echo spec's signature, told that id 0 is padding, under an embedding with mask_zero.
        var loaded = Support.Specs.Load(File.ReadAllText(Path.Combine(Support.Specs.RepositoryRoot, "experiments/basics/sequence-outputs.yaml")), model.Split('|'));
        var masked = loaded.Spec with { Model = [((Core.Specs.EmbeddingLayerSpec)loaded.Spec.Model[0]) with { MaskZero = true }, .. loaded.Spec.Model.Skip(1)] };
        var (plan, errors) = ModelPlanner.Plan(masked, loaded.Data with { ZeroIsPadding = true });
        Assert.Empty(errors);
        var spec = loaded with { Spec = masked, Plan = plan! };
        var weights = Weights(spec);
        var steps = spec.Plan.Data.Steps;
        var tokens = Tokens(steps, out var rows).Select(t => t % 8).ToArray(); // the echo's 8-token vocabulary; 0 stays padding
        var batch = SequenceDataset.Unlabelled(spec.Plan.Data, rows, tokens, null).AllInOneBatch();

        using var onnx = new OnnxRunner(OnnxExport.Build(spec.Plan, weights, "echo", "").ToByteArray());
        var exported = onnx.Run([.. tokens.Select(t => (long)t)], rows, steps);

        BothEnginesAgree(spec, weights, batch, exported, 1e-5, "per step");
    }

    public static TheoryData<string> ExampleSpecs() => [.. Support.Specs.ExampleSpecs().Select(f => Path.GetRelativePath(Support.Specs.RepositoryRoot, f))];

    [Theory]
    [MemberData(nameof(ExampleSpecs))]
    public void Every_example_spec_s_model_exports_and_matches_both_engines(string file)
    {
        var path = Path.Combine(Support.Specs.RepositoryRoot, file);
        var data = File.ReadLines(path).Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("path: ", StringComparison.Ordinal))?["path: ".Length..];
        var spec = SpecLoader.LoadFile(path, data is null ? [] : [$"data.path={Path.Combine(Support.Specs.RepositoryRoot, data)}"]);
        var weights = Weights(spec);
        var signature = spec.Plan.Data;
        const int Rows = 6;
        var random = new Random(3);
        int[]? tokens = null;
        float[]? features = null;
        if (signature.Input == InputKind.Tokens)
            tokens = [.. Enumerable.Range(0, Rows).SelectMany(r => Enumerable.Range(0, signature.Steps)
                .Select(t => t < signature.Steps * r / Rows ? 0 : random.Next(1, signature.InputWidth)))]; // 0 to 5/6 padding in front
        else features = [.. Enumerable.Range(0, Rows * signature.Steps * signature.InputWidth).Select(_ => (float)(random.NextDouble() * 4 - 2))];
        var batch = SequenceDataset.Unlabelled(signature, Rows, tokens, features).AllInOneBatch();

        using var onnx = new OnnxRunner(OnnxExport.Build(spec.Plan, weights, spec.Spec.Name, "").ToByteArray());
        var exported = tokens is not null
            ? onnx.Run([.. tokens.Select(t => (long)t)], Rows, signature.Steps)
            : onnx.Run(features!, Rows, signature.Steps, signature.InputWidth);

        BothEnginesAgree(spec, weights, batch, exported, OnnxExportCheck.Tolerance(signature.Steps), $"{signature.Steps} steps");
    }
}
