using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Training;
using RnnRunner.Engines.Torch;
using RnnRunner.Tests.Support;
using TorchSharp;

namespace RnnRunner.Tests.Engines;

[Collection(TorchCollection.Name)]
public class TorchEngineTests
{
    private static (ITrainableModel Model, LoadedSpec Spec) Build(string yaml, params string[] overrides)
    {
        var loaded = Support.Specs.Load(yaml, overrides);
        return (new TorchEngine().Build(loaded.Plan, loaded.Spec.Training, DeviceKind.Cpu, loaded.Spec.Seed), loaded);
    }

    [Fact]
    public void Weights_start_from_kerass_initialisers()
    {
        var (model, _) = Build(Support.Specs.BasicRnn, "model[1]={type: lstm, units: 16}");
        using var _ = model;
        var w = model.GetWeights().ToDictionary(t => t.Name);

        Assert.All(w["model[0].embeddings"].Values, v => Assert.InRange(v, -0.05f, 0.05f));
        // Forget-gate bias (second of the i, f, g, o blocks) is 1; every other bias is 0.
        var biasIh = w["model[1].bias_ih"].Values;
        Assert.All(biasIh[16..32], v => Assert.Equal(1f, v));
        Assert.All(biasIh[..16].Concat(biasIh[32..]).Concat(w["model[1].bias_hh"].Values), v => Assert.Equal(0f, v));
        // Glorot uniform limit for the (8 → 4·16) kernel: sqrt(6 / (8 + 64)).
        Assert.All(w["model[1].weight_ih"].Values, v => Assert.InRange(v, -0.2887f, 0.2887f));
        // Orthogonal recurrent kernel: (64 × 16) with orthonormal columns, so WᵀW = I.
        using var hh = torch.tensor(w["model[1].weight_hh"].Values, [64, 16]);
        using var gram = hh.t().matmul(hh);
        Assert.True(gram.allclose(torch.eye(16), atol: 1e-5));
        Assert.All(w["model[2].bias"].Values, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Weights_round_trip_through_the_weights_file_and_reproduce_the_outputs()
    {
        var (trained, loaded) = Build(Support.Specs.BasicRnn);
        using var _ = trained;
        var batch = Batches.FirstTraining(loaded);
        trained.TrainStep(batch);
        var expected = trained.Evaluate(batch).Outputs.ToArray();

        using var stream = new MemoryStream();
        WeightsFile.Write(stream, trained.GetWeights());
        stream.Position = 0;
        var (fresh, _) = Build(Support.Specs.BasicRnn, "seed=99");
        using var __ = fresh;
        fresh.SetWeights(WeightsFile.Read(stream, "memory"));

        Assert.Equal(expected, fresh.Evaluate(batch).Outputs.ToArray());
    }

    [Fact]
    public void Loading_weights_of_another_shape_names_the_tensor()
    {
        var (small, _) = Build(Support.Specs.BasicRnn);
        var (large, _) = Build(Support.Specs.BasicRnn, "model[1].units=32");
        using var _ = small;
        using var __ = large;

        var e = Assert.Throws<InvalidDataException>(() => large.SetWeights(small.GetWeights()));

        Assert.Contains("'model[1].weight_ih' has shape (16, 8), the model needs (32, 8)", e.Message);
    }

    [Theory]
    [InlineData("concat", 1)]
    [InlineData("sum", 1)]
    [InlineData("mul", 1)]
    [InlineData("ave", 1)]
    public void Bidirectional_layers_build_and_train_with_every_merge_mode(string merge, int outputsPerExample)
    {
        var (model, loaded) = Build(Support.Specs.BasicRnn,
            $"model[1]={{type: bidirectional, merge_mode: {merge}, layer: {{type: gru, units: 6, return_sequences: true}}}}",
            "model[2]={type: lstm, units: 4}", "model[3]={type: dense, units: 1, activation: sigmoid}");
        using var _ = model;
        var batch = Batches.FirstTraining(loaded);

        var result = model.TrainStep(batch);

        Assert.True(double.IsFinite(result.Loss));
        Assert.Equal(batch.Count * outputsPerExample, result.Outputs.Length);
    }

    [Fact]
    public void Training_steps_keep_the_number_of_live_tensors_flat()
    {
        var (model, loaded) = Build(Support.Specs.BasicRnn, "model[1].dropout=0.2");
        using var _ = model;
        var batch = Batches.FirstTraining(loaded);
        for (var i = 0; i < 5; i++) { model.TrainStep(batch); model.Evaluate(batch); }
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (var i = 0; i < 50; i++) { model.TrainStep(batch); model.Evaluate(batch); }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void The_same_spec_and_seed_gives_identical_metrics()
    {
        TrainingResult Train()
        {
            var (model, loaded) = Build(Support.Specs.BasicRnn, "model[1].dropout=0.3");
            using var _ = model;
            var data = DataSources.LoadSplits(loaded.Spec.Data, loaded.Spec.Training.ValidationSplit, loaded.Spec.Seed);
            return new Trainer(model, loaded.Spec.Training, loaded.Spec.Seed).Fit(data);
        }

        var first = Train();
        var second = Train();

        Assert.Equal(first.History.Select(h => h.Values), second.History.Select(h => h.Values));
        Assert.Equal(first.TestMetrics, second.TestMetrics);
    }
}
