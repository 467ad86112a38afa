using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Numpy;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;

namespace RnnRunner.Tests.Data.Numpy;

/// <summary><c>dataset: numpy</c>: Keras' array layouts, with imdb.load_data's id conventions.</summary>
public class NumpySourceTests
{
    private static string Fixture(string name) =>
        Path.Combine(Support.Specs.RepositoryRoot, "tests", "RnnRunner.Tests", "Data", "Numpy", "Fixtures", name);

    [Fact]
    public void Raw_id_lists_get_keras_start_char_index_from_and_oov_conventions()
    {
        var spec = new NumpyDataSpec { Path = Fixture("imdb_like.npz"), NumWords = 200, Maxlen = null };

        var source = new NumpySource(spec);
        var data = source.Load(1, default);

        // x_train[0] = [1, 14, 22]: start 1, then each + index_from 3; x_train[1] holds 1153 + 3 ≥ num_words → oov 2.
        Assert.Equal([1, 4, 17, 25], data.Train.TokensOf(0).ToArray());
        Assert.Equal([1, 4, 197, 2, 197], data.Train.TokensOf(1).ToArray());
        Assert.Equal((TargetKind.BinaryPerSequence, 5), (source.Describe().Target, source.Describe().Steps));
        Assert.Equal([1, 0, 1, 0], data.Train.Labels!);
        Assert.Equal(0.5, data.Report!.Splits["test"].Classes["1"] / (double)data.Report.Splits["test"].Texts);
    }

    [Fact]
    public void Final_ids_pass_unchanged_with_index_from_0_and_no_start_or_oov_char()
    {
        var spec = new NumpyDataSpec { Path = Fixture("imdb_like.npz"), NumWords = 2000, Maxlen = 2, IndexFrom = 0, StartChar = null, OovChar = null };

        var data = new NumpySource(spec).Load(1, default);

        Assert.Equal([14, 22], data.Train.TokensOf(0).ToArray()); // cut to maxlen 2 at the start (truncating: pre)
        Assert.Equal([1153, 194], data.Train.TokensOf(1).ToArray());
    }

    [Fact]
    public void Float_sequences_with_a_real_target_are_feature_inputs_and_a_regression_per_sequence()
    {
        var spec = new NumpyDataSpec { Path = Fixture("series"), Maxlen = null };

        var source = new NumpySource(spec);
        var data = source.Load(1, default);

        var signature = source.Describe();
        Assert.Equal((InputKind.Features, 2, 3, TargetKind.RegressionPerSequence), (signature.Input, signature.InputWidth, signature.Steps, signature.Target));
        Assert.Equal([0.6f, 0.7f, 0.8f, 0.9f, 1.0f, 1.1f], data.Train.Features![6..12]);
        Assert.Equal([0.25f, 0.75f], data.Test.Values!);
        var report = Assert.IsType<ArrayReport>(data.NumericReport); // value ranges, as preprocessing.json
        Assert.Equal(new ValueRange(4, 0.5, 3.5, 2.0), report.Splits["train"].Targets);
        Assert.Equal((24L, 0.0, 2.3), (report.Splits["train"].Inputs.Count, report.Splits["train"].Inputs.Min, Math.Round(report.Splits["train"].Inputs.Max, 5)));
    }

    [Fact]
    public void Arrays_of_unequal_length_or_a_missing_name_are_refused_at_the_data_path()
    {
        var unequal = $$"""
            name: n
            data: {dataset: numpy, path: {{Fixture("unequal.npz")}}, num_words: 10, index_from: 0, start_char: null, oov_char: null}
            model: [{type: embedding, input_dim: 10, output_dim: 4}, {type: lstm, units: 4}, {type: dense, units: 1, activation: sigmoid}]
            training: {epochs: 1, loss: binary_crossentropy}
            """;

        var error = Assert.Throws<SpecException>(() => SpecLoader.LoadText(unequal, "n.yaml"));
        var missing = Assert.Throws<DatasetException>(() => NumpySource.Read(new NumpyDataSpec { Path = Fixture("imdb_like.npz"), XTrain = "x" }));

        Assert.Equal("data.path", Assert.Single(error.Errors).Path);
        Assert.Contains("x_train (integer, shape (3, 4)) and y_train (integer, shape (2,)) differ in length", error.Errors[0].Message);
        Assert.Contains("has no array 'x' (it has x_test, x_train, y_test, y_train)", missing.Message);
    }
}
