using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;

namespace RnnRunner.Tests.Engines;

/// <summary>Shape inference, architecture errors and parameter counts, checked against hand-computed values.</summary>
public class ModelPlannerTests
{
    private static readonly DataSignature ImdbLike = new(InputKind.Tokens, 10_000, 500, TargetKind.BinaryPerSequence, 2);

    private static ExperimentSpec Spec(LossKind loss, params LayerSpec[] layers) => new()
    {
        Name = "plan",
        Data = new CountingSentimentDataSpec(),
        Model = layers,
        Training = new TrainingSpec { Loss = loss },
    };

    private static ModelPlan PlanOf(DataSignature data, LossKind loss, params LayerSpec[] layers)
    {
        var (plan, errors) = ModelPlanner.Plan(Spec(loss, layers), data);
        Assert.Empty(errors);
        return plan!;
    }

    private static IReadOnlyList<PlanError> ErrorsOf(DataSignature data, LossKind loss, params LayerSpec[] layers) =>
        ModelPlanner.Plan(Spec(loss, layers), data).Errors;

    private static readonly EmbeddingLayerSpec Embedding = new() { InputDim = 10_000, OutputDim = 32 };
    private static readonly DenseLayerSpec SigmoidOutput = new() { Units = 1, Activation = Activation.Sigmoid };

    [Fact]
    public void The_keras_imdb_lstm_has_328481_parameters_in_torch_and_328353_in_keras()
    {
        var plan = PlanOf(ImdbLike, LossKind.BinaryCrossentropy, Embedding, new LstmLayerSpec { Units = 32 }, SigmoidOutput);

        // Embedding 10000·32 = 320000; LSTM 4·32·(32+32) = 8192 plus biases 2·128 (torch) or 128 (Keras); Dense 32+1.
        Assert.Equal(new long[] { 320_000, 8_448, 33 }, plan.Layers.Select(l => l.TorchParameters));
        Assert.Equal(new long[] { 320_000, 8_320, 33 }, plan.Layers.Select(l => l.KerasParameters));
        Assert.Equal(328_481, plan.TorchParameters);
        Assert.Equal(328_353, plan.KerasParameters);
    }

    [Theory]
    // SimpleRNN(32) on 32 inputs: 32·(32+32) = 2048 kernels; biases 64 (torch) / 32 (Keras).
    [InlineData("simple_rnn", 2_112, 2_080)]
    // GRU(32): 3·32·64 = 6144; Keras' reset_after GRU has two biases too: 2·96.
    [InlineData("gru", 6_336, 6_336)]
    [InlineData("lstm", 8_448, 8_320)]
    public void Recurrent_layers_count_kernels_and_biases_per_convention(string type, long torch, long keras)
    {
        RecurrentLayerSpec layer = type switch
        {
            "simple_rnn" => new SimpleRnnLayerSpec { Units = 32 },
            "gru" => new GruLayerSpec { Units = 32 },
            _ => new LstmLayerSpec { Units = 32 },
        };

        var planned = PlanOf(ImdbLike, LossKind.BinaryCrossentropy, Embedding, layer, SigmoidOutput).Layers[1];

        Assert.Equal((torch, keras), (planned.TorchParameters, planned.KerasParameters));
    }

    [Theory]
    [InlineData(MergeMode.Concat, 64)]
    [InlineData(MergeMode.Sum, 32)]
    [InlineData(MergeMode.Mul, 32)]
    [InlineData(MergeMode.Ave, 32)]
    public void Bidirectional_doubles_the_weights_and_merges_outputs_by_mode(MergeMode mode, int width)
    {
        var layer = new BidirectionalLayerSpec { Layer = new LstmLayerSpec { Units = 32 }, MergeMode = mode };

        var plan = PlanOf(ImdbLike, LossKind.BinaryCrossentropy, Embedding, layer, SigmoidOutput);

        Assert.Equal(new LayerShape(null, width), plan.Layers[1].Output);
        Assert.Equal(2 * 8_448, plan.Layers[1].TorchParameters);
        Assert.Equal(2 * 8_320, plan.Layers[1].KerasParameters);
        Assert.Equal(width + 1, plan.Layers[2].TorchParameters);
    }

    [Fact]
    public void Stacked_layers_pass_sequences_and_dense_applies_per_time_step()
    {
        var data = new DataSignature(InputKind.Tokens, 8, 20, TargetKind.ClassesPerStep, 8);
        var plan = PlanOf(data, LossKind.SparseCategoricalCrossentropy,
            new EmbeddingLayerSpec { InputDim = 8, OutputDim = 4 },
            new SimpleRnnLayerSpec { Units = 16, ReturnSequences = true },
            new DropoutLayerSpec { Rate = 0.5 },
            new GruLayerSpec { Units = 12, ReturnSequences = true },
            new DenseLayerSpec { Units = 8, Activation = Activation.Softmax });

        Assert.Equal(["(None, 20, 4)", "(None, 20, 16)", "(None, 20, 16)", "(None, 20, 12)", "(None, 20, 8)"],
            plan.Layers.Select(l => l.Output.ToString()));
        // Embedding 32; SimpleRNN 16·(4+16)+2·16 = 352; Dropout 0; GRU 3·12·(16+12)+2·36 = 1080; Dense 12·8+8 = 104.
        Assert.Equal(new long[] { 32, 352, 0, 1_080, 104 }, plan.Layers.Select(l => l.TorchParameters));
    }

    [Fact]
    public void A_recurrent_layer_fed_a_non_sequence_is_an_error_that_names_the_fix()
    {
        var error = Assert.Single(ErrorsOf(ImdbLike, LossKind.BinaryCrossentropy,
            Embedding, new SimpleRnnLayerSpec { Units = 8 }, new SimpleRnnLayerSpec { Units = 8 }, SigmoidOutput));

        Assert.Equal("model[2].type", error.Path);
        Assert.Equal("simple_rnn needs a sequence input (None, steps, features) but gets (None, 8); "
            + "set return_sequences: true on model[1] (simple_rnn) so it passes every time step on", error.Message);
    }

    [Fact]
    public void An_embedding_smaller_than_the_vocabulary_is_an_error()
    {
        var error = Assert.Single(ErrorsOf(ImdbLike, LossKind.BinaryCrossentropy,
            new EmbeddingLayerSpec { InputDim = 5_000, OutputDim = 8 }, new LstmLayerSpec { Units = 8 }, SigmoidOutput));

        Assert.Equal("model[0].input_dim", error.Path);
        Assert.Contains("smaller than the vocabulary (10,000 token ids)", error.Message);
    }

    [Fact]
    public void Token_data_needs_an_embedding_first_and_feature_data_must_not_have_one()
    {
        Assert.Contains(ErrorsOf(ImdbLike, LossKind.BinaryCrossentropy, new LstmLayerSpec { Units = 8 }, SigmoidOutput),
            e => e.Path == "model[0].type" && e.Message.Contains("must be an embedding"));

        var sine = new DataSignature(InputKind.Features, 1, 40, TargetKind.RegressionPerStep, 1);
        Assert.Contains(ErrorsOf(sine, LossKind.Mse, new EmbeddingLayerSpec { InputDim = 3, OutputDim = 2 },
                new LstmLayerSpec { Units = 4, ReturnSequences = true }, new DenseLayerSpec { Units = 1 }),
            e => e.Path == "model[0].type" && e.Message.Contains("remove the embedding"));
    }

    [Fact]
    public void A_loss_that_does_not_fit_the_output_is_an_error()
    {
        var linear = new DenseLayerSpec { Units = 1 };
        Assert.Contains(ErrorsOf(ImdbLike, LossKind.BinaryCrossentropy, Embedding, new LstmLayerSpec { Units = 8 }, linear),
            e => e.Path == "model[2]" && e.Message.Contains("activation sigmoid, not linear"));

        Assert.Contains(ErrorsOf(ImdbLike, LossKind.SparseCategoricalCrossentropy, Embedding, new LstmLayerSpec { Units = 8 }, SigmoidOutput),
            e => e.Path == "training.loss" && e.Message.Contains("use binary_crossentropy"));
    }

    [Fact]
    public void Per_step_targets_need_sequence_outputs_and_vice_versa()
    {
        var echo = new DataSignature(InputKind.Tokens, 8, 20, TargetKind.ClassesPerStep, 8);
        var softmax = new DenseLayerSpec { Units = 8, Activation = Activation.Softmax };

        Assert.Contains(ErrorsOf(echo, LossKind.SparseCategoricalCrossentropy, new EmbeddingLayerSpec { InputDim = 8, OutputDim = 4 },
                new LstmLayerSpec { Units = 8 }, softmax),
            e => e.Message.Contains("one value per time step"));
        Assert.Contains(ErrorsOf(ImdbLike, LossKind.BinaryCrossentropy, Embedding,
                new LstmLayerSpec { Units = 8, ReturnSequences = true }, SigmoidOutput),
            e => e.Message.Contains("set return_sequences: false"));
    }

    [Fact]
    public void Per_step_targets_name_the_layer_that_lost_the_steps_even_when_the_recurrent_layer_returns_them()
    {
        var echo = new DataSignature(InputKind.Tokens, 8, 20, TargetKind.ClassesPerStep, 8);
        var softmax = new DenseLayerSpec { Units = 8, Activation = Activation.Softmax };
        var embedding = new EmbeddingLayerSpec { InputDim = 8, OutputDim = 4 };

        var pooled = Assert.Single(ErrorsOf(echo, LossKind.SparseCategoricalCrossentropy, embedding,
            new LstmLayerSpec { Units = 8, ReturnSequences = true }, new GlobalMaxPoolingLayerSpec(), softmax));
        var last = Assert.Single(ErrorsOf(echo, LossKind.SparseCategoricalCrossentropy, embedding,
            new BidirectionalLayerSpec { Layer = new GruLayerSpec { Units = 8 } }, softmax));

        Assert.EndsWith("model[2] (global_max_pooling) reduces the steps to one: remove it", pooled.Message);
        Assert.EndsWith("set return_sequences: true on model[1].layer so the bidirectional layer returns every step", last.Message);
    }

    [Fact]
    public void A_layer_error_is_reported_alone_not_again_as_the_wrong_output_shapes_that_follow_from_it()
    {
        var echo = new DataSignature(InputKind.Tokens, 8, 20, TargetKind.ClassesPerStep, 8);

        // The first LSTM returns one output, so the second cannot read a sequence; the output's shape follows from that.
        var error = Assert.Single(ErrorsOf(echo, LossKind.SparseCategoricalCrossentropy, new EmbeddingLayerSpec { InputDim = 8, OutputDim = 4 },
            new LstmLayerSpec { Units = 8 }, new LstmLayerSpec { Units = 8, ReturnSequences = true }, new DenseLayerSpec { Units = 8, Activation = Activation.Softmax }));

        Assert.Equal("model[2].type", error.Path);
        Assert.Contains("set return_sequences: true on model[1]", error.Message);
    }

    [Fact]
    public void The_output_width_must_match_the_targets()
    {
        var error = Assert.Single(ErrorsOf(ImdbLike, LossKind.BinaryCrossentropy, Embedding, new LstmLayerSpec { Units = 8 },
            new DenseLayerSpec { Units = 2, Activation = Activation.Sigmoid }));

        Assert.Contains("outputs 2 values per sequence but the targets (a 0/1 label per sequence) need 1", error.Message);
    }

    [Fact]
    public void Accuracy_is_refused_for_regression()
    {
        var sine = new DataSignature(InputKind.Features, 1, 40, TargetKind.RegressionPerStep, 1);
        var spec = Spec(LossKind.Mse, new LstmLayerSpec { Units = 4, ReturnSequences = true }, new DenseLayerSpec { Units = 1 }) with
        {
            Training = new TrainingSpec { Loss = LossKind.Mse, Metrics = [MetricKind.Accuracy] },
        };

        Assert.Contains(ModelPlanner.Plan(spec, sine).Errors, e => e.Path == "training.metrics[0]");
    }

    [Fact]
    public void The_summary_reads_like_keras_with_both_parameter_conventions()
    {
        var summary = PlanOf(ImdbLike, LossKind.BinaryCrossentropy, Embedding, new LstmLayerSpec { Units = 32 }, SigmoidOutput)
            .Summary("imdb-lstm");

        Assert.Contains("lstm_1 (LSTM)", summary);
        Assert.Contains("(None, 500, 32)", summary);
        Assert.Contains("8,448 (Keras: 8,320)", summary);
        Assert.Contains("Total params: 328,481 (TorchSharp convention)", summary);
        Assert.Contains("Total params: 328,353 (Keras convention", summary);
    }
}
