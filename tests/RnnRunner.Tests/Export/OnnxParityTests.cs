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

    private static float[] Engine(EngineKind engine, LoadedSpec spec, IReadOnlyList<NamedTensor> weights, Batch batch)
    {
        using var model = TraceTests.Engines.Value.For(engine).Build(spec.Plan, spec.Spec.Training, DeviceKind.Cpu, 7);
        model.SetWeights(weights);
        return model.Predict(batch).ToArray();
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

            foreach (var engine in new[] { EngineKind.Scratch, EngineKind.Torch })
            {
                var expected = Engine(engine, spec, weights, batch);
                Assert.Equal(expected.Length, exported.Length);
                for (var i = 0; i < expected.Length; i++)
                    Assert.True(Math.Abs(expected[i] - exported[i]) <= 1e-5 * Math.Max(1, Math.Abs(expected[i])),
                        $"{engine}, masked {masked}, output {i} (row {i / (expected.Length / rows)}): engine {expected[i]}, ONNX {exported[i]}");
            }
        }
    }
}
