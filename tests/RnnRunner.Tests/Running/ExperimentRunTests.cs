using System.Globalization;
using System.Text.Json;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Training;
using RnnRunner.Engines.Torch;
using RnnRunner.Plotting;
using RnnRunner.Tests.Support;
using Serilog;

namespace RnnRunner.Tests.Running;

/// <summary>Whole runs on the TorchSharp engine: the example specs learn, and the run folder holds what it promises.</summary>
[Collection(TorchCollection.Name)]
public class ExperimentRunTests
{
    private static RunOutcome Run(LoadedSpec spec, string results) =>
        TestRuns.New()
            .Execute(spec, new RunOptions(results));

    private static LoadedSpec Example(string name, params string[] overrides) =>
        SpecLoader.LoadFile(Path.Combine(Support.Specs.RepositoryRoot, "experiments", "basics", $"{name}.yaml"), overrides);

    [Theory]
    // Short runs on smaller data; chance is 0.5 for the binary tasks and 1/8 for the echo task.
    [InlineData("basic-rnn", "val_accuracy", 0.85)]
    [InlineData("stacked-rnn", "val_accuracy", 0.85)]
    [InlineData("sequence-outputs", "val_accuracy", 0.6)]
    public void The_basics_examples_learn_well_beyond_chance(string name, string metric, double atLeast)
    {
        using var temp = new TempDirectory();
        var spec = Example(name, "training.epochs=4", "data.train_samples=1500", "data.test_samples=300");

        var outcome = Run(spec, temp.Path);

        Assert.Equal(RunStatus.Completed, outcome.Summary.Status);
        Assert.True(outcome.Summary.BestMetrics![metric] >= atLeast, $"{name}: {metric} {outcome.Summary.BestMetrics[metric]}");
        Assert.True(outcome.Summary.TestMetrics!["test_accuracy"] >= atLeast);
    }

    [Fact]
    public void The_regression_example_beats_predicting_zero()
    {
        using var temp = new TempDirectory();
        var outcome = Run(Example("sine-forecast", "training.epochs=3", "data.train_samples=800"), temp.Path);

        // Always predicting 0 has a mean absolute error of about 2/π ≈ 0.64 on a sine wave.
        Assert.True(outcome.Summary.TestMetrics!["test_mae"] < 0.3);
    }

    [Fact]
    public void A_run_folder_holds_specs_metrics_summary_log_weights_and_plots()
    {
        using var temp = new TempDirectory();
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, "training.epochs=2");

        var outcome = Run(spec, temp.Path);
        var folder = outcome.Folder;

        Assert.Equal(Path.Combine(temp.Path, "tiny"), Path.GetDirectoryName(folder.Path));
        Assert.Matches(@"^001-\d{8}T\d{6}Z$", folder.Id);
        var given = File.ReadAllText(folder.SpecAsGiven);
        Assert.StartsWith("# Command-line overrides applied on top of this file:\n#   --set training.epochs=2\n", given);
        Assert.EndsWith(Support.Specs.BasicRnn, given);
        Assert.Equal(SpecWriter.ToYaml(spec.Spec), SpecWriter.ToYaml(Support.Specs.Load(File.ReadAllText(folder.SpecResolved)).Spec));
        Assert.Contains("Total params:", File.ReadAllText(folder.ModelSummary));

        var lines = File.ReadAllLines(folder.Metrics);
        Assert.Equal("epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds,cpu_seconds,others_cpu", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("1,", lines[1]);
        Assert.Equal(outcome.Summary.FinalMetrics, MetricsCsv.Read(folder.Metrics)[^1].Values);

        using var json = JsonDocument.Parse(File.ReadAllText(folder.Summary));
        var root = json.RootElement;
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal("torch", root.GetProperty("engine").GetString());
        Assert.Equal(7, root.GetProperty("seed").GetInt32());
        Assert.Equal(spec.Plan.TorchParameters, root.GetProperty("parameters").GetInt64());
        Assert.Equal(spec.Plan.KerasParameters, root.GetProperty("parameters_keras_convention").GetInt64());
        Assert.True(root.GetProperty("test_metrics").GetProperty("test_accuracy").GetDouble() > 0);
        Assert.Equal("0.107.0", root.GetProperty("versions").GetProperty("TorchSharp").GetString());

        Assert.All(File.ReadAllLines(folder.Log), line => JsonDocument.Parse(line).Dispose());
        AssertMetricsAreLoggedAsNumbers(folder);
        Assert.NotEmpty(WeightsFile.Read(File.OpenRead(folder.Weights), folder.Weights));
        foreach (var chart in new[] { "accuracy.png", "accuracy.svg", "loss.png", "loss.svg" })
            Assert.True(new FileInfo(Path.Combine(folder.Plots, chart)).Length > 1000, chart);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp", SearchOption.AllDirectories));
    }

    /// <summary>log.jsonl: each epoch's and the test's metrics as numbers (for scripts); the message rounded (for people).</summary>
    private static void AssertMetricsAreLoggedAsNumbers(RunFolder folder)
    {
        var events = File.ReadAllLines(folder.Log).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var epoch = events.First(e => e.GetProperty("@mt").GetString()!.StartsWith("Epoch "));
        Assert.Equal(JsonValueKind.Number, epoch.GetProperty("Values").GetProperty("val_accuracy").ValueKind);
        var done = events.Single(e => e.GetProperty("@mt").GetString()!.StartsWith("Run completed"));
        var accuracy = done.GetProperty("TestMetrics").GetProperty("test_accuracy").GetDouble();
        var rendered = done.GetProperty("Test").GetString()!;
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"test_accuracy {accuracy:F4}"), rendered);
        Assert.DoesNotContain("{", rendered);
    }

    [Fact]
    public void Metrics_are_written_with_a_decimal_point_whatever_the_culture()
    {
        using var temp = new TempDirectory();
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var outcome = Run(Support.Specs.Load(Support.Specs.BasicRnn, "training.epochs=1"), temp.Path);
            Assert.Matches(@"^1,\d\.\d+,", File.ReadAllLines(outcome.Folder.Metrics)[1]);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void A_run_that_diverges_records_the_epoch_and_batch_and_keeps_completed_epochs()
    {
        using var temp = new TempDirectory();
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, "training.epochs=3");
        var engine = new DivergingEngine(new TorchEngine(), divergeAtStep: 25);

        var outcome = new ExperimentRun(engine, new TrainingCurveCharts(), new LoggerConfiguration().CreateLogger())
            .Execute(spec, new RunOptions(temp.Path));

        Assert.Equal(RunStatus.Diverged, outcome.Summary.Status);
        Assert.Equal((2, 10), (outcome.Summary.DivergedAtEpoch, outcome.Summary.DivergedAtBatch));
        Assert.Equal(1, outcome.Summary.EpochsRun);
        Assert.Equal(2, File.ReadAllLines(outcome.Folder.Metrics).Length);
        Assert.Equal("diverged", JsonDocument.Parse(File.ReadAllText(outcome.Folder.Summary)).RootElement.GetProperty("status").GetString());
        Assert.False(File.Exists(outcome.Folder.Weights));
    }

    [Fact]
    public void An_interrupted_run_is_marked_interrupted()
    {
        using var temp = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();

        var outcome = TestRuns.New()
            .Execute(Support.Specs.Load(Support.Specs.BasicRnn), new RunOptions(temp.Path), cancel.Token);

        Assert.Equal(RunStatus.Interrupted, outcome.Summary.Status);
        Assert.Equal(RunStatus.Interrupted, RunSummary.Read(outcome.Folder.Summary).Status);
    }

    /// <summary>Wraps a real engine and reports a NaN loss at a chosen training step (15 batches per epoch here).</summary>
    private sealed class DivergingEngine(IEngine inner, int divergeAtStep) : IEngine
    {
        public EngineKind Kind => inner.Kind;
        public IReadOnlyDictionary<string, string> Versions => inner.Versions;
        public string RecurrentKernels => inner.RecurrentKernels;
        public string? DeviceProblem(DeviceKind device) => inner.DeviceProblem(device);
        public IEnumerable<PlanError> Problems(ModelPlan plan, DeviceKind device) => inner.Problems(plan, device);

        public EngineVariant DefaultVariant => inner.DefaultVariant;
        public ITrainableModel Build(ModelPlan plan, TrainingSpec training, DeviceKind device, int seed, EngineVariant? variant = null) =>
            new Model(inner.Build(plan, training, device, seed, variant), divergeAtStep);

        private sealed class Model(ITrainableModel inner, int divergeAtStep) : ITrainableModel
        {
            private int _steps;

            public BatchResult TrainStep(Core.Data.Batch batch)
            {
                var result = inner.TrainStep(batch);
                return ++_steps == divergeAtStep ? result with { Loss = double.NaN } : result;
            }

            public BatchResult Evaluate(Core.Data.Batch batch) => inner.Evaluate(batch);
            public ReadOnlyMemory<float> Predict(Core.Data.Batch batch) => inner.Predict(batch);
            public IReadOnlyList<NamedTensor> OutputGradients(Core.Data.Batch batch, int output) => inner.OutputGradients(batch, output);
            public IReadOnlyList<NamedTensor> LastGradients() => inner.LastGradients();
            public double LearningRate
            {
                get => inner.LearningRate;
                set => inner.LearningRate = value;
            }
            public IReadOnlyList<NamedTensor> GetWeights() => inner.GetWeights();
            public void SetWeights(IReadOnlyList<NamedTensor> weights) => inner.SetWeights(weights);
            public void SaveTrainingState(Stream stream) => inner.SaveTrainingState(stream);
            public void LoadTrainingState(Stream stream) => inner.LoadTrainingState(stream);
            public void Dispose() => inner.Dispose();
        }
    }
}

/// <summary>Short runs on a subset of the real IMDB archive (skipped where data/ does not have it).</summary>
[Collection(TorchCollection.Name)]
[Trait(TestLevel.Key, TestLevel.Data)]
public class ImdbRunTests
{
    [RealImdbFact]
    public void A_short_lstm_run_on_an_imdb_subset_beats_chance_and_predict_scores_new_reviews()
    {
        using var temp = new TempDirectory();
        var spec = SpecLoader.LoadFile(Path.Combine(Support.Specs.RepositoryRoot, "experiments", "imdb", "lstm.yaml"),
            ["data.limit=3000", "data.maxlen=200", "training.epochs=3", "training.batch_size=64",
             $"data.path={TinyImdb.RealArchive()}"]);
        var environment = new RnnRunner.Core.Data.DataEnvironment(temp.File("data"), temp.File("cache"));

        var outcome = TestRuns.New()
            .Execute(spec, new RunOptions(temp.File("results")) { Data = environment });

        Assert.Equal(RunStatus.Completed, outcome.Summary.Status);
        Assert.True(outcome.Summary.TestMetrics!["test_accuracy"] > 0.6, $"test accuracy {outcome.Summary.TestMetrics["test_accuracy"]}");
        var report = RnnRunner.Core.Data.Text.PreprocessingReport.FromJson(File.ReadAllText(outcome.Folder.Preprocessing));
        Assert.Equal(1500, report.Splits["train"].Classes["pos"]);
        Assert.Equal(9996, File.ReadAllLines(outcome.Folder.Vocabulary).Length - 1);

        using var predictor = Predictor.Open(outcome.Folder, EngineCatalog.Of(new TorchEngine()));
        var scores = predictor.Predict([
            ("good", "A wonderful, moving film. The acting is superb and the story is beautiful; one of the best this year."),
            ("bad", "Terrible. The worst film I have seen: boring, stupid, awful acting, a complete waste of time."),
        ]).ToList();
        Assert.True(scores[0].Outputs[0] > scores[1].Outputs[0]); // the probability of pos
        Assert.All(scores, s => Assert.Contains(s.Label, new[] { "neg", "pos" })); // IMDB's class names, from the run's report
    }

    [RealImdbFact]
    public void Whole_masked_reviews_with_max_pooling_and_length_batches_beat_chance_on_an_imdb_subset()
    {
        using var temp = new TempDirectory();
        var spec = SpecLoader.LoadFile(Path.Combine(Support.Specs.RepositoryRoot, "experiments", "imdb", "bigru-maxpool.yaml"),
            ["data.limit=2000", "training.epochs=2", "model[1].layer.units=16", $"data.path={TinyImdb.RealArchive()}"]);
        var environment = new RnnRunner.Core.Data.DataEnvironment(temp.File("data"), temp.File("cache"));

        var outcome = TestRuns.New().Execute(spec, new RunOptions(temp.File("results")) { Data = environment });

        Assert.Equal(RunStatus.Completed, outcome.Summary.Status);
        Assert.True(outcome.Summary.TestMetrics!["test_accuracy"] > 0.6, $"test accuracy {outcome.Summary.TestMetrics["test_accuracy"]}");
        var report = RnnRunner.Core.Data.Text.PreprocessingReport.FromJson(File.ReadAllText(outcome.Folder.Preprocessing));
        Assert.Equal(0, report.Splits["train"].Truncated); // whole reviews: nothing cut
        Assert.True(report.Splits["train"].LengthPercentiles["max"] > 500);

        using var predictor = Predictor.Open(outcome.Folder, TestRuns.Engines());
        var scores = predictor.Predict([("good", "Wonderful, moving, superb: the best film this year."), ("bad", "Awful, boring and stupid; a waste of time.")]).ToList();
        Assert.True(scores[0].Outputs[0] > scores[1].Outputs[0]);
    }
}
