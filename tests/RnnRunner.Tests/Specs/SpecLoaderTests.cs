using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Specs;

public class SpecLoaderTests
{
    [Fact]
    public void A_valid_spec_binds_into_typed_records_with_defaults_filled_in()
    {
        var spec = Support.Specs.Load(Support.Specs.BasicRnn).Spec;

        Assert.Equal("tiny", spec.Name);
        Assert.Equal(EngineKind.Torch, spec.Engine);
        Assert.Equal(DeviceKind.Cpu, spec.Device);
        var data = Assert.IsType<CountingSentimentDataSpec>(spec.Data);
        Assert.Equal(12, data.VocabularySize);
        Assert.Collection(spec.Model,
            l => Assert.Equal(new EmbeddingLayerSpec { InputDim = 12, OutputDim = 8 }, l),
            l => Assert.Equal(new SimpleRnnLayerSpec { Units = 16, Activation = Activation.Tanh }, l),
            l => Assert.Equal(new DenseLayerSpec { Units = 1, Activation = Activation.Sigmoid }, l));
        var rmsprop = Assert.IsType<RmsPropOptimizerSpec>(spec.Training.Optimizer);
        Assert.Equal(0.005, rmsprop.LearningRate);
        Assert.Equal(0.9, rmsprop.Rho); // Keras' default, not given in the file
        Assert.Null(spec.Training.EarlyStopping);
    }

    [Fact]
    public void Unknown_keys_are_errors_with_a_did_you_mean_suggestion_and_their_position()
    {
        var yaml = Support.Specs.BasicRnn.Replace("    units: 16", "    unitz: 16");

        var errors = Support.Specs.ErrorsOf(yaml);

        var unknown = Assert.Single(errors, e => e.Path == "model[1].unitz");
        Assert.Contains("unknown key (did you mean 'units'?)", unknown.Message);
        Assert.Equal(14, unknown.Mark.Line);
        Assert.Equal(5, unknown.Mark.Column);
        Assert.Contains(errors, e => e.Path == "model[1].units" && e.Message.StartsWith("missing required value"));
    }

    [Fact]
    public void Wrong_types_name_what_was_expected_and_what_was_given()
    {
        var yaml = Support.Specs.BasicRnn
            .Replace("epochs: 3", "epochs: three")
            .Replace("seed: 7", "seed: \"7\"")
            .Replace("validation_split: 0.2", "validation_split: [0.2]");

        var errors = Support.Specs.ErrorsOf(yaml);

        Assert.Contains(errors, e => e.Path == "training.epochs" && e.Message == "expected an integer, got 'three'");
        Assert.Contains(errors, e => e.Path == "seed" && e.Message.Contains("remove the quotes"));
        Assert.Contains(errors, e => e.Path == "training.validation_split" && e.Message == "expected a number, got a list");
    }

    [Fact]
    public void Missing_required_values_are_reported_at_the_enclosing_mapping()
    {
        var yaml = Support.Specs.BasicRnn.Replace("  loss: binary_crossentropy\n", "");

        var error = Assert.Single(Support.Specs.ErrorsOf(yaml));

        Assert.Equal("training.loss", error.Path);
        Assert.StartsWith("missing required value (one of: binary_crossentropy, sparse_categorical_crossentropy, mse)", error.Message);
        Assert.Equal(19, error.Mark.Line);
    }

    [Theory]
    [InlineData("    units: 16", "    units: 0", "model[1].units", "0 is out of range: must be at least 1 and at most 65536")]
    [InlineData("    units: 16", "    units: 1000000000000", "model[1].units", "1,000,000,000,000 is out of range: must be at least 1 and at most 65536 (an LSTM layer of that width needs 16,000,000,000,000.0 TB for its recurrent weights alone)")]
    [InlineData("    units: 16", "    units: 100000", "model[1].units", "100000 is out of range: must be at least 1 and at most 65536 (an LSTM layer of that width needs 160.0 GB for its recurrent weights alone)")]
    [InlineData("validation_split: 0.2", "validation_split: 1", "training.validation_split", "1 is out of range: must be at least 0 and less than 1")]
    [InlineData("learning_rate: 0.005", "learning_rate: -1", "training.optimizer.learning_rate", "-1 is out of range: must be greater than 0 and at most 10")]
    [InlineData("learning_rate: 0.005", "learning_rate: .nan", "training.optimizer.learning_rate", "expected a finite number, got '.nan'")]
    public void Out_of_range_values_say_what_range_is_allowed(string find, string replace, string path, string message)
    {
        var error = Assert.Single(Support.Specs.ErrorsOf(Support.Specs.BasicRnn.Replace(find, replace)));

        Assert.Equal(path, error.Path);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Dropout_must_lie_in_zero_to_one_exclusive()
    {
        var yaml = Support.Specs.BasicRnn.Replace("    units: 16", "    units: 16\n    dropout: 1.0");

        var error = Assert.Single(Support.Specs.ErrorsOf(yaml));

        Assert.Equal("model[1].dropout", error.Path);
        Assert.Contains("less than 1", error.Message);
    }

    [Fact]
    public void Unknown_enum_values_and_layer_types_list_the_choices()
    {
        var yaml = Support.Specs.BasicRnn
            .Replace("activation: sigmoid", "activation: sigmod")
            .Replace("type: simple_rnn", "type: simplernn");

        var errors = Support.Specs.ErrorsOf(yaml);

        Assert.Contains(errors, e => e.Path == "model[2].activation"
            && e.Message == "'sigmod' is not one of: linear, tanh, relu, sigmoid, softmax (did you mean 'sigmoid'?)");
        Assert.Contains(errors, e => e.Path == "model[1].type" && e.Message.Contains("(did you mean 'simple_rnn'?)"));
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var yaml = Support.Specs.BasicRnn
            .Replace("epochs: 3", "epochs: 0")
            .Replace("batch_size: 32", "batch_sise: 32")
            .Replace("output_dim: 8", "output_dim: -8");

        Assert.Equal(3, Support.Specs.ErrorsOf(yaml).Count);
    }

    [Fact]
    public void Errors_print_as_file_line_column_path_message()
    {
        var error = Support.Specs.ErrorsOf(Support.Specs.BasicRnn.Replace("epochs: 3", "epochs: 0")).Single();

        Assert.Equal("test.yaml:19:11: training.epochs: 0 is out of range: must be at least 1 and at most 1000000", error.ToString());
    }

    [Fact]
    public void Overrides_set_any_path_including_list_indexes_and_are_validated_like_the_file()
    {
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, "training.epochs=5", "model[1].units=24",
            "training.early_stopping.patience=2").Spec;

        Assert.Equal(5, spec.Training.Epochs);
        Assert.Equal(24, ((SimpleRnnLayerSpec)spec.Model[1]).Units);
        Assert.Equal(2, spec.Training.EarlyStopping!.Patience);

        var error = Assert.Single(Support.Specs.ErrorsOf(Support.Specs.BasicRnn, "model[1].units=-3"));
        Assert.Equal("--set model[1].units=-3", error.Mark.Source);
        Assert.Equal("model[1].units", error.Path);
    }

    [Theory]
    [InlineData("model[9].units=3", "the list has 3 items (indexes start at 0; [3] appends)")]
    [InlineData("training.epochs", "expected PATH=VALUE")]
    [InlineData("name.first=x", "not a mapping")]
    [InlineData("model[x].units=3", "is not a spec path")]
    public void Bad_overrides_are_clear_errors(string assignment, string message)
    {
        var error = Assert.Single(Support.Specs.ErrorsOf(Support.Specs.BasicRnn, assignment));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void The_resolved_spec_loads_back_to_an_equal_spec()
    {
        var original = Support.Specs.Load(Support.Specs.BasicRnn.Replace("    units: 16", "    units: 16\n    dropout: 0.25"),
            "training.early_stopping.monitor=val_accuracy").Spec;

        var resolved = SpecWriter.ToYaml(original);
        var reloaded = Support.Specs.Load(resolved).Spec;

        Assert.Equal(SpecWriter.ToYaml(reloaded), resolved);
        Assert.Equal(original.Model, reloaded.Model);
        Assert.Equal(original.Training.EarlyStopping, reloaded.Training.EarlyStopping);
        Assert.Contains("rho: 0.9", resolved);
    }

    [Fact]
    public void Early_stopping_must_monitor_a_logged_metric()
    {
        var yaml = Support.Specs.BasicRnn + "\n  early_stopping:\n    monitor: val_acc\n";

        var error = Assert.Single(Support.Specs.ErrorsOf(yaml));

        Assert.Equal("training.early_stopping.monitor", error.Path);
        Assert.Contains("(did you mean 'val_accuracy'?)", error.Message);
        Assert.Contains("logged: loss, accuracy, val_loss, val_accuracy", error.Message);
    }

    [Fact]
    public void Validation_metrics_need_a_validation_split()
    {
        var yaml = Support.Specs.BasicRnn.Replace("validation_split: 0.2", "validation_split: 0") + "\n  early_stopping: {}\n";

        var error = Assert.Single(Support.Specs.ErrorsOf(yaml));

        Assert.Contains("validation_split > 0", error.Message);
    }

    [Fact]
    public void Run_names_must_be_usable_as_folder_names()
    {
        var error = Assert.Single(Support.Specs.ErrorsOf(Support.Specs.BasicRnn.Replace("name: tiny", "name: ../escape")));

        Assert.Equal("name", error.Path);
    }

    [Fact]
    public void Every_example_spec_in_the_repository_is_valid()
    {
        var specs = Support.Specs.ExampleSpecs();

        foreach (var file in specs)
        {
            // Examples run from the repository root (README): their relative data paths start there.
            var dataPath = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(file), @"\n  path: (\S+)");
            var loaded = SpecLoader.LoadFile(file, dataPath.Success
                ? [$"data.path={Path.Combine(Support.Specs.RepositoryRoot, dataPath.Groups[1].Value)}"] : null);
            Assert.Equal(Path.GetFileNameWithoutExtension(file), loaded.Spec.Name);
        }
    }
}

public class SpecOverrideValueTests
{
    [Fact]
    public void An_override_to_null_switches_an_optional_section_off()
    {
        var yaml = Support.Specs.BasicRnn + "\n  early_stopping:\n    patience: 1\n";

        Assert.Null(Support.Specs.Load(yaml, "training.early_stopping=null").Spec.Training.EarlyStopping);
    }

    [Fact]
    public void An_override_can_replace_a_whole_layer_or_append_one()
    {
        var spec = Support.Specs.Load(Support.Specs.BasicRnn,
            "model[1]={type: lstm, units: 8, return_sequences: true}", "model[2]={type: gru, units: 4}",
            "model[3]={type: dense, units: 1, activation: sigmoid}").Spec;

        Assert.Equal(["embedding", "lstm", "gru", "dense"], spec.Model.Select(RnnRunner.Core.Engines.ModelPlanner.TypeName));
    }
}

public class MemoryEstimateTests
{
    [Fact]
    public void A_spec_too_large_for_the_machine_is_refused_with_the_estimate()
    {
        var loaded = Support.Specs.Load(Support.Specs.BasicRnn, "model[1]={type: lstm, units: 60000}");

        var e = Assert.Throws<SpecException>(() => SpecLoader.CheckMemory(loaded, availableBytes: 16e9));

        var error = Assert.Single(e.Errors);
        Assert.Equal("model", error.Path);
        // LSTM(60000): 4·60000·(8+60000) ≈ 14.4e9 weights; × 4 bytes × 4 copies (weights, grads, RMSprop slot,
        // checkpoint) ≈ 230.7 GB, plus about 1 GB of activations.
        Assert.Contains("training needs an estimated 231.", error.Message);
        Assert.Contains("but this machine has 16.0 GB available", error.Message);
    }

    [Fact]
    public void Ones_own_data_files_count_in_the_estimate_by_their_size()
    {
        using var temp = new Support.TempDirectory();
        File.WriteAllLines(temp.File("t.csv"), new[] { "text,label" }.Concat(Enumerable.Range(0, 20_000).Select(i => $"word{i % 50} other words here,{i % 2}")));
        var loaded = SpecLoader.LoadText($$"""
            name: t
            data: {dataset: table, path: {{temp.File("t.csv")}}, text_column: text, label_column: label, num_words: 60, maxlen: 8}
            model: [{type: embedding, input_dim: 60, output_dim: 4}, {type: lstm, units: 4}, {type: dense, units: 1, activation: sigmoid}]
            training: {epochs: 1, loss: binary_crossentropy}
            """, "t.yaml");

        var estimate = RnnRunner.Core.Engines.MemoryEstimate.For(loaded.Plan, loaded.Spec);

        Assert.Equal(new FileInfo(temp.File("t.csv")).Length * 1.5, estimate.DataBytes);
        Assert.Throws<SpecException>(() => SpecLoader.CheckMemory(loaded, availableBytes: estimate.TotalBytes - 1));
    }

    [Fact]
    public void Ordinary_specs_pass_the_memory_check()
    {
        SpecLoader.CheckMemory(Support.Specs.Load(Support.Specs.BasicRnn), availableBytes: 1e9);
        var imdb = SpecLoader.LoadFile(Path.Combine(Support.Specs.RepositoryRoot, "experiments", "imdb", "bilstm.yaml"));
        var estimate = RnnRunner.Core.Engines.MemoryEstimate.For(imdb.Plan, imdb.Spec);
        Assert.InRange(estimate.TotalBytes, 0.1e9, 2e9); // measured peak of the whole process: about 0.9 GB
    }

    [Fact]
    public void Whole_reviews_are_sized_for_the_longest_review_a_batch_can_hold()
    {
        var path = Path.Combine(Support.Specs.RepositoryRoot, "experiments", "imdb", "bilstm.yaml");
        var at500 = SpecLoader.LoadFile(path);
        var whole = SpecLoader.LoadFile(path, ["data.maxlen=null", "training.batching={by_length: true}"]);

        var (a, b) = (RnnRunner.Core.Engines.MemoryEstimate.For(at500.Plan, at500.Spec), RnnRunner.Core.Engines.MemoryEstimate.For(whole.Plan, whole.Spec));

        // Activations grow with the steps of the longest possible batch: 2,600 instead of 500 (the dense output does not).
        Assert.InRange(b.ActivationBytes / a.ActivationBytes, 5.0, RnnRunner.Core.Data.Imdb.ImdbSource.WholeReviewSteps / 500.0);
        Assert.True(b.DataBytes > a.DataBytes);
    }

    [Fact]
    public void Validate_refuses_an_oversized_spec_on_this_machine()
    {
        var (exit, _, stderr) = CliHarness.Run("validate", CliHarness.Example("basics", "basic-rnn.yaml"), "--set", "model[1].units=65536",
            "--set", "training.batch_size=100000");

        Assert.Equal(RnnRunner.Cli.ExitCodes.InvalidInput, exit);
        Assert.Contains("training needs an estimated", stderr);
    }
}
