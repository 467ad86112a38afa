using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Numpy;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Data.Numpy;

/// <summary><c>dataset: numpy</c>: Keras' array layouts, with imdb.load_data's id conventions.</summary>
public sealed class NumpySourceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A source whose example cache is this test's own.</summary>
    private NumpySource Source(NumpyDataSpec spec) => new(spec, new DataEnvironment(_temp.File("data"), _temp.File("cache")));

    private static string Fixture(string name) =>
        Path.Combine(Support.Specs.RepositoryRoot, "tests", "RnnRunner.Tests", "Data", "Numpy", "Fixtures", name);

    [Fact]
    public void Raw_id_lists_get_keras_start_char_index_from_and_oov_conventions()
    {
        var spec = new NumpyDataSpec { Path = Fixture("imdb_like.npz"), NumWords = 200, Maxlen = null };

        var source = Source(spec);
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

        var data = Source(spec).Load(1, default);

        Assert.Equal([14, 22], data.Train.TokensOf(0).ToArray()); // cut to maxlen 2 at the start (truncating: pre)
        Assert.Equal([1153, 194], data.Train.TokensOf(1).ToArray());
    }

    [Fact]
    public void Float_sequences_with_a_real_target_are_feature_inputs_and_a_regression_per_sequence()
    {
        var spec = new NumpyDataSpec { Path = Fixture("series"), Maxlen = null };

        var source = Source(spec);
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

    [Fact]
    public void Prepared_examples_are_cached_by_the_arrays_content_and_settings_and_read_back_equal()
    {
        var spec = new NumpyDataSpec { Path = Fixture("imdb_like.npz"), NumWords = 200, Maxlen = null };

        var first = Source(spec).Load(1, default);
        var again = Source(spec).Load(1, default);
        var otherSettings = Source(spec with { NumWords = 100 }).Load(1, default);

        Assert.False(first.Report!.FromCache);
        Assert.True(again.Report!.FromCache);
        Assert.Equal(first.Report.CacheKey, again.Report.CacheKey);
        Assert.Equal(first.Train.Tokens, again.Train.Tokens);
        Assert.Equal(first.Train.Offsets, again.Train.Offsets);
        Assert.Equal(first.Test.Labels, again.Test.Labels);
        Assert.Equal(first.Train.Signature, again.Train.Signature);
        Assert.False(otherSettings.Report!.FromCache); // num_words changes the ids: another entry
        Assert.NotEqual(first.Report.CacheKey, otherSettings.Report.CacheKey);
        Assert.Equal(2, Directory.GetFiles(_temp.File("cache/numpy"), "*.examples").Length);
    }

    [Fact]
    public void A_limit_subsamples_the_cached_examples_as_it_does_freshly_prepared_ones()
    {
        var spec = new NumpyDataSpec { Path = Fixture("series"), Maxlen = null, Limit = 2 };

        var fresh = Source(spec).Load(7, default);
        var cached = Source(spec).Load(7, default);

        var report = Assert.IsType<ArrayReport>(cached.NumericReport);
        Assert.True(report.Cache!.FromCache);
        Assert.Equal(2, cached.Train.Count);
        Assert.Equal(fresh.Train.Features, cached.Train.Features);
        Assert.Equal(2, report.Splits["train"].Examples); // the report counts what the run trains on
    }

    [Fact]
    public void A_damaged_or_out_of_range_example_cache_entry_is_discarded_and_the_arrays_prepared_again()
    {
        var spec = new NumpyDataSpec { Path = Fixture("imdb_like.npz"), NumWords = 200, Maxlen = null };
        var first = Source(spec).Load(1, default);
        var entry = ExampleCache.PathFor(_temp.File("cache"), "numpy", first.Report!.CacheKey);
        var cached = ExampleCache.TryRead(entry, ArrayReport.FromJson)!;
        cached.Train.Tokens![0] = 5000; // sealed correctly, so only the range check can catch it
        ExampleCache.TryWrite(entry, cached);

        var again = Source(spec).Load(1, default);
        var third = Source(spec).Load(1, default);

        Assert.False(again.Report!.FromCache);
        Assert.Equal(first.Train.Tokens, again.Train.Tokens);
        Assert.True(third.Report!.FromCache);
    }

    [Fact]
    public void Describing_cached_arrays_gives_the_signature_loading_them_gives()
    {
        var spec = new NumpyDataSpec { Path = Fixture("imdb_like.npz"), NumWords = 200, Maxlen = null };
        var uncached = Source(spec).Describe();
        Source(spec).Load(1, default);

        var cached = Source(spec).Describe();

        Assert.Equal(uncached, cached);
        Assert.Equal(cached, ExampleCache.TryReadSignature(Directory.GetFiles(_temp.File("cache/numpy")).Single()));
    }

    [Fact]
    public void Changing_one_array_of_a_folder_misses_the_cache_and_the_new_values_are_used()
    {
        var folder = _temp.File("arrays");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Fixture("series"))) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        var spec = new NumpyDataSpec { Path = folder, Maxlen = null };
        var first = Source(spec).Load(1, default);

        var bytes = File.ReadAllBytes(Path.Combine(folder, "y_test.npy"));
        BitConverter.GetBytes(9.5).CopyTo(bytes, bytes.Length - 8); // y_test[1], a little-endian float64, becomes 9.5
        File.WriteAllBytes(Path.Combine(folder, "y_test.npy"), bytes);
        File.SetLastWriteTimeUtc(Path.Combine(folder, "y_test.npy"), DateTime.UtcNow.AddMinutes(1));
        var second = Source(spec).Load(1, default);

        Assert.False(((ArrayReport)second.NumericReport!).Cache!.FromCache);
        Assert.Equal([0.25f, 0.75f], first.Test.Values!);
        Assert.Equal([0.25f, 9.5f], second.Test.Values!);
    }
}
