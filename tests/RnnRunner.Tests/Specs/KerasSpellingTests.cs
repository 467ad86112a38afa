using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;

namespace RnnRunner.Tests.Specs;

/// <summary>
/// A Keras user writes a spec from memory: Keras' spellings with the same meaning are read as ours, and what Keras
/// means otherwise is refused with the reason in Keras' terms — all in one pass of errors.
/// </summary>
public class KerasSpellingTests
{
    /// <summary>The spec a Keras user wrote from memory, which took five rounds of validate before these spellings.</summary>
    private const string FromMemory = """
        name: from-memory
        data:
          dataset: counting_sentiment
          vocabulary_size: 30
          sequence_length: 12
          train_samples: 200
          test_samples: 50
        model:
          - type: Embedding
            input_dim: 30
            output_dim: 8
          - type: Bidirectional
            layer: {type: LSTM, units: 8, return_sequences: true}
          - type: SimpleRNN
            units: 8
          - type: Dense
            units: 1
            activation: sigmoid
        training:
          epochs: 2
          optimizer: adam
          loss: binary_crossentropy
          metrics: [acc]
        """;

    [Fact]
    public void Keras_class_names_an_optimizer_by_name_and_Keras_metric_names_mean_what_they_mean_in_Keras()
    {
        var spec = Support.Specs.Load(FromMemory).Spec;

        Assert.Equal(["embedding", "bidirectional", "simple_rnn", "dense"], spec.Model.Select(SpecNames.OfVariant));
        Assert.IsType<LstmLayerSpec>(Assert.IsType<BidirectionalLayerSpec>(spec.Model[1]).Layer);
        // Keras' compile(optimizer="adam"): Adam with Keras' defaults.
        Assert.Equal(new AdamOptimizerSpec(), spec.Training.Optimizer);
        Assert.Equal(0.001, spec.Training.Optimizer.LearningRate);
        Assert.Equal([MetricKind.Accuracy], spec.Training.Metrics);
    }

    [Fact]
    public void Keras_keys_that_mean_something_else_here_are_all_refused_in_one_pass_each_saying_why()
    {
        var yaml = FromMemory
            .Replace("    output_dim: 8\n", "    output_dim: 8\n    input_length: 12\n")
            .Replace("  optimizer: adam", "  optimizer: {type: adam, lr: 0.01}")
            .Replace("    units: 8\n  - type: Dense", "    units: 8\n    input_shape: [12, 16]\n  - type: Dense")
            .Replace("  - type: Dense", "  - type: Masking\n  - type: Dense");

        var errors = Support.Specs.ErrorsOf(yaml);

        Assert.Collection(errors.OrderBy(e => e.Path, StringComparer.Ordinal),
            e => Assert.Equal(("model[0].input_length", "unknown key (the sequence length comes from the data (data.sequence_length), so the embedding does not state it)"),
                (e.Path, e.Message[..e.Message.IndexOf(';')])),
            e => Assert.Equal(("model[2].input_shape", "unknown key (the input's shape comes from the data (data.sequence_length and the dataset's features), so no layer states it)"),
                (e.Path, e.Message[..e.Message.IndexOf(';')])),
            e => Assert.Equal(("model[3].type", "'Masking' is not one of: embedding, simple_rnn, lstm, gru, bidirectional, dense, dropout, global_max_pooling, global_average_pooling "
                + "(Keras' Masking layer is the embedding's mask_zero: true here (id 0 is padding))"), (e.Path, e.Message)),
            e => Assert.Equal(("training.optimizer.lr", "unknown key (Keras' old name for learning_rate: write learning_rate)"), (e.Path, e.Message[..e.Message.IndexOf(';')])));
    }

    [Fact]
    public void Sparse_categorical_crossentropy_takes_integer_labels_as_in_Keras_and_the_old_spelling_still_reads_with_a_warning()
    {
        var sequences = Support.Specs.BasicRnn.Replace("dataset: counting_sentiment", "dataset: delayed_echo")
            .Replace("units: 1\n    activation: sigmoid", "units: 12\n    activation: softmax")
            .Replace("  - type: simple_rnn\n    units: 16", "  - type: simple_rnn\n    units: 16\n    return_sequences: true");

        var sparse = Support.Specs.Load(sequences.Replace("loss: binary_crossentropy", "loss: sparse_categorical_crossentropy"));
        var old = Support.Specs.Load(sequences.Replace("loss: binary_crossentropy", "loss: categorical_crossentropy"));

        Assert.Equal(LossKind.SparseCategoricalCrossentropy, sparse.Spec.Training.Loss);
        Assert.Empty(sparse.Marks.Warnings);
        Assert.Equal(LossKind.SparseCategoricalCrossentropy, old.Spec.Training.Loss);
        var warning = Assert.Single(old.Marks.Warnings);
        Assert.Equal("training.loss", warning.Path);
        Assert.StartsWith("'categorical_crossentropy' is read as sparse_categorical_crossentropy (integer class labels against a softmax output)", warning.Message);
    }

    [Theory]
    [InlineData("type: simple_rnn", "type: simplernn")] // Keras' class names are spelt exactly, as the schema lists them
    [InlineData("type: rmsprop", "type: RMSProp")]
    public void A_near_miss_of_a_Keras_name_is_still_an_error_with_a_suggestion(string find, string replace)
    {
        var error = Assert.Single(Support.Specs.ErrorsOf(Support.Specs.BasicRnn.Replace(find, replace)));

        Assert.Contains("did you mean", error.Message);
    }
}
