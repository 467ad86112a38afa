using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch;
using RnnRunner.Engines.Scratch.Tracing;
using RnnRunner.Engines.Torch;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Engines.Scratch;

[Collection(TorchCollection.Name)]
public class ScratchEngineTests
{
    [Fact]
    public void A_spec_trains_on_the_scratch_engine_through_the_same_runner_and_results_folder()
    {
        using var temp = new TempDirectory();
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, "engine=scratch", "training.epochs=4");

        var outcome = TestRuns.New().Execute(spec, new RunOptions(temp.Path));

        Assert.Equal(RunStatus.Completed, outcome.Summary.Status);
        Assert.Equal("scratch", outcome.Summary.Engine);
        Assert.True(outcome.Summary.TestMetrics!["test_accuracy"] > 0.8, $"test accuracy {outcome.Summary.TestMetrics["test_accuracy"]}");
        foreach (var file in new[] { outcome.Folder.Metrics, outcome.Folder.Weights, outcome.Folder.Summary, Path.Combine(outcome.Folder.Plots, "accuracy.png") })
            Assert.True(File.Exists(file), file);
    }

    [Theory]
    [InlineData("scratch", "torch")]
    [InlineData("torch", "scratch")]
    public void Weights_saved_by_one_engine_load_into_the_other(string trainedOn, string loadedInto)
    {
        using var temp = new TempDirectory();
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, $"engine={trainedOn}", "training.epochs=2",
            "model[1]={type: bidirectional, layer: {type: gru, units: 8}}");
        var outcome = TestRuns.New().Execute(spec, new RunOptions(temp.Path));
        using var stream = File.OpenRead(outcome.Folder.Weights);
        var weights = WeightsFile.Read(stream, outcome.Folder.Weights);

        var engines = TestRuns.Engines(); // not disposed: it hands out the tests' shared scratch engine
        using var original = engines.For(trainedOn == "torch" ? EngineKind.Torch : EngineKind.Scratch)
            .Build(spec.Plan, spec.Spec.Training, DeviceKind.Cpu, seed: 1);
        using var other = engines.For(loadedInto == "torch" ? EngineKind.Torch : EngineKind.Scratch)
            .Build(spec.Plan, spec.Spec.Training, DeviceKind.Cpu, seed: 1);
        original.SetWeights(weights);
        other.SetWeights(weights);

        var batch = Batches.FirstTraining(spec, 32);
        var (expected, actual) = (original.Evaluate(batch), other.Evaluate(batch));
        Assert.Equal(expected.Loss, actual.Loss, 5);
        Assert.All(expected.Outputs.ToArray().Zip(actual.Outputs.ToArray()), p => Assert.Equal(p.First, p.Second, 5));
        Assert.Equal(weights.Select(w => w.Name), other.GetWeights().Select(w => w.Name));
    }

    [Fact]
    public void Both_engines_start_from_the_same_weights_for_the_same_seed()
    {
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, "model[1]={type: bidirectional, layer: {type: lstm, units: 6}}");
        var engines = TestRuns.Engines(); // not disposed: it hands out the tests' shared scratch engine
        IReadOnlyList<NamedTensor> Start(EngineKind kind, int seed)
        {
            using var model = engines.For(kind).Build(spec.Plan, spec.Spec.Training, DeviceKind.Cpu, seed);
            return model.GetWeights();
        }

        var (torch, scratch) = (Start(EngineKind.Torch, 5), Start(EngineKind.Scratch, 5));
        Assert.Equal(torch.Select(w => w.Name), scratch.Select(w => w.Name));
        Assert.All(torch.Zip(scratch), p => Assert.Equal(p.First.Values, p.Second.Values));
        Assert.NotEqual(torch[0].Values, Start(EngineKind.Torch, 6)[0].Values);
    }

    [Theory]
    [InlineData(EngineKind.Torch)]
    [InlineData(EngineKind.Scratch)]
    public void A_learning_rate_set_between_steps_is_the_one_the_optimizer_uses(EngineKind kind)
    {
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, "training.optimizer={type: sgd, learning_rate: 0.1}");
        var engines = TestRuns.Engines(); // not disposed: it hands out the tests' shared scratch engine
        using var model = engines.For(kind).Build(spec.Plan, spec.Spec.Training, DeviceKind.Cpu, seed: 2);
        var batch = Batches.FirstTraining(spec);
        var before = model.GetWeights();

        model.LearningRate = 0;
        model.TrainStep(batch);
        Assert.Equal(before.SelectMany(w => w.Values), model.GetWeights().SelectMany(w => w.Values));

        model.LearningRate = 0.2;
        model.TrainStep(batch);
        Assert.Equal(0.2, model.LearningRate, 12);
        Assert.NotEqual(before.SelectMany(w => w.Values), model.GetWeights().SelectMany(w => w.Values));
    }

    [Fact]
    public void The_scratch_engine_refuses_cuda()
    {
        using var engine = new ScratchEngine(threads: 1);
        var spec = Support.Specs.Load(Support.Specs.BasicRnn);

        var error = Assert.Throws<InvalidOperationException>(() => engine.Build(spec.Plan, spec.Spec.Training, DeviceKind.Cuda, 1));
        Assert.Contains("CPU only", error.Message);
    }

    [Fact]
    public void Results_do_not_depend_on_how_many_workers_share_a_batch()
    {
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, "model[1].dropout=0.3", "training.batch_size=32");
        var batch = Batches.FirstTraining(spec);
        float[] TrainTwice(int threads)
        {
            using var engine = new ScratchEngine(threads);
            using var model = engine.Build(spec.Plan, spec.Spec.Training, DeviceKind.Cpu, seed: 3);
            model.TrainStep(batch);
            model.TrainStep(batch);
            return model.Evaluate(batch).Outputs.ToArray();
        }

        // Dropout masks are per example, so only the order of float additions differs.
        Assert.All(TrainTwice(1).Zip(TrainTwice(2)), p => Assert.Equal(p.First, p.Second, 5));
    }
}
