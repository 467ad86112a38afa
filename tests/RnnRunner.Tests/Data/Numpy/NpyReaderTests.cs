using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Numpy;

namespace RnnRunner.Tests.Data.Numpy;

/// <summary>The .npy/.npz reader against files NumPy wrote (make-fixtures.py), and what it refuses.</summary>
public class NpyReaderTests
{
    private static string Fixture(string name) =>
        Path.Combine(Support.Specs.RepositoryRoot, "tests", "RnnRunner.Tests", "Data", "Numpy", "Fixtures", name);

    private static NpyArray Single(string name) => NpyReader.ReadAll(Fixture(name)).Values.Single();

    [Fact]
    public void Integers_of_every_width_and_byte_order_and_booleans_are_read_in_c_order()
    {
        var c = Single("int32_c.npy");
        var fortran = Single("int64_fortran.npy");

        Assert.Equal([3L, 4], c.Shape);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), c.Integers!);
        Assert.Equal(c.Integers, fortran.Integers); // Fortran order is rearranged to C order
        Assert.Equal([-2L, 300, 7], Single("int16_big_endian.npy").Integers!);
        Assert.Equal([0L, 200, 255], Single("uint8.npy").Integers!);
        Assert.Equal([1L, 0, 1], Single("bool.npy").Integers!);
    }

    [Fact]
    public void Floats_of_16_32_and_64_bits_are_read()
    {
        var floats = Single("float32_3d.npy");

        Assert.Equal([2L, 3, 2], floats.Shape);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i / 4.0), floats.Floats!);
        Assert.Equal([0.5, -1.25], Single("float16.npy").Floats!);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void An_object_array_of_integer_lists_is_read_from_its_pickle_in_every_protocol(int protocol)
    {
        var lists = Single($"lists_protocol{protocol}.npy");

        Assert.Equal(NpyKind.ObjectLists, lists.Kind);
        Assert.Equal([[1L, 2, 3], [4L, 5], [70000L, 1L << 40]], lists.Lists!);
    }

    [Fact]
    public void A_keras_style_npz_gives_every_array_by_name()
    {
        var arrays = NpyReader.ReadAll(Fixture("imdb_like.npz"));

        Assert.Equal(["x_test", "x_train", "y_test", "y_train"], arrays.Keys.Order());
        Assert.Equal([1L, 194, 1153, 194], arrays["x_train"].IntegerRow(1).ToArray());
        Assert.Equal([1L, 0, 1, 0], arrays["y_train"].Integers!);
    }

    [Theory]
    [InlineData("evil.npy", "pickled contents hold the global 'posix.system'; RnnRunner reads only object arrays of integer lists")]
    [InlineData("strings.npy", "dtype '<U3' is not one RnnRunner reads")]
    [InlineData("truncated.npy", "ends before its data does (a truncated .npy)")]
    public void A_pickle_of_anything_else_a_string_array_and_a_truncated_file_are_refused_in_one_line(string name, string message)
    {
        var error = Assert.Throws<DatasetException>(() => NpyReader.ReadAll(Fixture(name)));

        Assert.Contains(message, error.Message);
        Assert.StartsWith(Fixture(name), error.Message);
    }
}
