using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Timeseries;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Data.Timeseries;

/// <summary><c>dataset: timeseries</c>: Keras' windows, split by time, normalised with the training part only.</summary>
public class TimeseriesTests
{
    /// <summary>A CSV of <paramref name="rows"/> rows: column a = the row number, b = 10 × it.</summary>
    private static string Series(TempDirectory temp, int rows)
    {
        var path = temp.File("s.csv");
        File.WriteAllLines(path, new[] { "a,b" }.Concat(Enumerable.Range(0, rows).Select(r => $"{r},{10 * r}")));
        return path;
    }

    [Fact]
    public void Windows_take_sequence_length_rows_sampling_rate_apart_every_stride_rows_with_the_target_horizon_rows_after()
    {
        using var temp = new TempDirectory();
        var spec = new TimeseriesDataSpec
        {
            Path = Series(temp, 12), Columns = ["a"], TargetColumn = "b", SequenceLength = 3, SequenceStride = 2, SamplingRate = 2,
            Horizon = 1, TestSplit = 0, Normalize = false,
        };

        var data = new TimeseriesSource(spec, validationSplit: 0).Load(1, default);

        // A window spans (3 - 1) × 2 + 1 + 1 = 6 rows: starts 0, 2, 4, 6 fit in 12 rows.
        Assert.Equal(4, data.Train.Count);
        Assert.Equal([0f, 2, 4, 2, 4, 6, 4, 6, 8, 6, 8, 10], data.Train.Features!);
        Assert.Equal([50f, 70, 90, 110], data.Train.Values!); // b at row 4 + 1, 6 + 1, ...
    }

    [Fact]
    public void Parts_follow_each_other_in_time_and_no_window_or_target_crosses_a_boundary()
    {
        using var temp = new TempDirectory();
        var spec = new TimeseriesDataSpec { Path = Series(temp, 100), Columns = ["a"], TargetColumn = "a", SequenceLength = 5, TestSplit = 0.2, Normalize = false };

        var data = new TimeseriesSource(spec, validationSplit: 0.25).Load(1, default);

        // 20 test rows (80..99), 20 validation rows (60..79), 60 training rows; 6 rows per window.
        Assert.Equal((55, 15, 15), (data.Train.Count, data.Validation!.Count, data.Test.Count));
        Assert.Equal(59f, data.Train.Values!.Max()); // the last training target is the training part's last row
        Assert.Equal(60f, data.Validation.Features![0]); // the first validation window starts at the part's first row
        Assert.Equal(79f, data.Validation.Values!.Max());
        Assert.Equal(80f, data.Test.Features![0]);
        Assert.Equal(new SeriesPart(60, 79, 15, 60, 79, 69.5), ((TimeseriesReport)data.NumericReport!).Parts["validation"]);
    }

    [Fact]
    public void A_limit_keeps_the_most_recent_rows()
    {
        using var temp = new TempDirectory();
        var spec = new TimeseriesDataSpec { Path = Series(temp, 100), Columns = ["a"], TargetColumn = "a", SequenceLength = 2, TestSplit = 0.5, Normalize = false, Limit = 20 };

        var data = new TimeseriesSource(spec, validationSplit: 0).Load(1, default);

        Assert.Equal(80f, data.Train.Features![0]); // rows 80..89 train, 90..99 test
        Assert.Equal(99f, data.Test.Values![^1]);
    }

    [Fact]
    public void Inputs_are_normalised_with_the_training_part_s_statistics_alone()
    {
        using var temp = new TempDirectory();
        var spec = new TimeseriesDataSpec { Path = Series(temp, 100), Columns = ["a"], TargetColumn = "b", SequenceLength = 2, TestSplit = 0.5 };

        var data = new TimeseriesSource(spec, validationSplit: 0).Load(1, default);

        var stats = ((TimeseriesReport)data.NumericReport!).Statistics["a"];
        Assert.Equal(24.5, stats.Mean, 10); // rows 0..49 only
        Assert.Equal(Math.Sqrt((50 * 50 - 1) / 12.0), stats.Std, 10);
        Assert.Equal((float)((0 - 24.5) / stats.Std), data.Train.Features![0], 5);
        Assert.Equal(490f, data.Train.Values![^1]); // targets keep their units: b at row 49, the training part's last
    }

    [Fact]
    public void An_npy_series_with_columns_named_by_position_gives_the_same_windows_as_its_csv()
    {
        using var temp = new TempDirectory();
        var fixtures = Path.Combine(Support.Specs.RepositoryRoot, "tests", "RnnRunner.Tests", "Data", "Numpy", "Fixtures");
        var csv = new TimeseriesDataSpec { Path = Series(temp, 100), Columns = ["a"], TargetColumn = "b", SequenceLength = 4, TestSplit = 0.2 };
        var npy = csv with { Path = Path.Combine(fixtures, "series.npy"), Columns = ["0"], TargetColumn = "1" };

        var (fromCsv, fromNpy) = (new TimeseriesSource(csv, 0.2).Load(1, default), new TimeseriesSource(npy, 0.2).Load(1, default));

        Assert.Equal(fromCsv.Train.Features, fromNpy.Train.Features);
        Assert.Equal(fromCsv.Test.Values, fromNpy.Test.Values);
        Assert.Contains("series_nan.npy: row 7, column 1: NaN is not a finite number",
            Assert.Throws<DatasetException>(() => new TimeseriesSource(npy with { Path = Path.Combine(fixtures, "series_nan.npy") }, 0).Read()).Message);
    }

    [Theory]
    [InlineData("a,b\n1,2\n,3\n", "s.csv:3: column 'a': is empty (fill or drop missing values first)")]
    [InlineData("a,b\n1,2\nNaN,3\n", "s.csv:3: column 'a': 'NaN' is not a finite number")]
    [InlineData("a,b\n1,2\n1.5.2,3\n", "s.csv:3: column 'a': '1.5.2' is not a finite number")]
    [InlineData("a,c\n1,2\n", "s.csv:1: has no column 'b' (its columns: a, c)")]
    public void A_value_that_is_not_a_number_or_a_missing_column_is_one_located_error(string csv, string message)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("s.csv"), csv);
        var spec = new TimeseriesDataSpec { Path = temp.File("s.csv"), Columns = ["a"], TargetColumn = "b" };

        var error = Assert.Throws<DatasetException>(() => new TimeseriesSource(spec, 0).Read());

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_part_too_short_for_one_window_is_refused_at_sequence_length()
    {
        using var temp = new TempDirectory();
        var yaml = $$"""
            name: s
            data: {dataset: timeseries, path: {{Series(temp, 40)}}, columns: [a], target_column: b, sequence_length: 10, test_split: 0.2}
            model: [{type: lstm, units: 4}, {type: dense, units: 1}]
            training: {epochs: 1, loss: mse, metrics: [mae], validation_split: 0.2}
            """;

        var error = Assert.Throws<SpecException>(() => SpecLoader.LoadText(yaml, "s.yaml"));

        Assert.Equal("data.sequence_length", Assert.Single(error.Errors).Path);
        Assert.Contains("the validation part has 6 rows (of 40); one window needs 11", error.Errors[0].Message);
    }

    [Fact]
    public void A_parsed_series_is_cached_by_its_content_and_columns_and_windows_alike_from_the_cache()
    {
        using var temp = new TempDirectory();
        var cache = temp.File("cache");
        var spec = new TimeseriesDataSpec { Path = Series(temp, 60), Columns = ["a"], TargetColumn = "b", SequenceLength = 4, TestSplit = 0.2 };

        var parsed = new TimeseriesSource(spec, 0.25, cacheRoot: cache).Load(1, default);
        var cached = new TimeseriesSource(spec, 0.25, cacheRoot: cache).Load(1, default);
        File.WriteAllLines(spec.Path, new[] { "a,b" }.Concat(Enumerable.Range(0, 60).Select(r => $"{r},{-r}")));
        File.SetLastWriteTimeUtc(spec.Path, DateTime.UtcNow.AddMinutes(1));
        var changed = new TimeseriesSource(spec, 0.25, cacheRoot: cache).Load(1, default);

        Assert.False(((TimeseriesReport)parsed.NumericReport!).Cache!.FromCache);
        Assert.True(((TimeseriesReport)cached.NumericReport!).Cache!.FromCache);
        Assert.Equal(parsed.Train.Features, cached.Train.Features);
        Assert.Equal(parsed.Validation!.Values, cached.Validation!.Values);
        Assert.Equal(parsed.Test.Values, cached.Test.Values);
        Assert.False(((TimeseriesReport)changed.NumericReport!).Cache!.FromCache); // new content, new entry
        Assert.Equal(-4f, changed.Train.Values![0]);
    }

    [Fact]
    public void A_series_cache_entry_holding_a_value_parsing_refuses_is_discarded_and_the_file_parsed_again()
    {
        using var temp = new TempDirectory();
        var cache = temp.File("cache");
        var spec = new TimeseriesDataSpec { Path = Series(temp, 30), Columns = ["a"], TargetColumn = "b", SequenceLength = 4, TestSplit = 0.2 };
        var first = new TimeseriesSource(spec, 0, cacheRoot: cache).Load(1, default);
        var entry = Directory.GetFiles(Path.Combine(cache, "timeseries")).Single();
        var bytes = File.ReadAllBytes(entry);
        var nan = BitConverter.GetBytes(double.NaN);
        var written = new List<byte>(bytes[..^Core.Storage.SealedFile.SealLength]);
        written.RemoveRange(written.Count - 8, 8);
        written.AddRange(nan); // the last value NaN, resealed: only the finite check can catch it
        Core.Storage.SealedFile.Write(entry, stream => stream.Write(written.ToArray()));

        var again = new TimeseriesSource(spec, 0, cacheRoot: cache).Load(1, default);

        Assert.False(((TimeseriesReport)again.NumericReport!).Cache!.FromCache);
        Assert.Equal(first.Test.Values, again.Test.Values);
    }
}
