using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using RnnRunner.Cli;
using RnnRunner.Core.Results;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Reliability;

/// <summary>
/// Hostile data files — archives that leave their folder or inflate without end, symbolic-link loops, NumPy headers
/// that lie, numbers beyond float32 — each refused by <c>validate</c> (and so by <c>run</c>) in one located line,
/// exit 2, quickly and in bounded memory; never an "unexpected" error, never a run left behind.
/// </summary>
[Collection(TorchCollection.Name)]
public class HostileDataTests
{
    /// <summary>A text_folder spec over <paramref name="path"/> (two classes, one epoch).</summary>
    internal static string TextFolderSpec(TempDirectory temp, string path)
    {
        var spec = temp.File("texts.yaml");
        File.WriteAllText(spec, $"""
            name: texts
            engine: scratch
            data: {"{"}dataset: text_folder, path: {path}, num_words: 50, maxlen: 10{"}"}
            model:
              - {"{"}type: embedding, input_dim: 50, output_dim: 4{"}"}
              - {"{"}type: simple_rnn, units: 4{"}"}
              - {"{"}type: dense, units: 1, activation: sigmoid{"}"}
            training: {"{"}epochs: 1, batch_size: 4, loss: binary_crossentropy, metrics: [accuracy]{"}"}
            """);
        return spec;
    }

    /// <summary>Class folders a/ and b/ with six short texts each.</summary>
    internal static string TextFolder(TempDirectory temp)
    {
        var root = temp.File("texts");
        foreach (var c in new[] { "a", "b" })
        {
            Directory.CreateDirectory(Path.Combine(root, c));
            for (var i = 0; i < 6; i++) File.WriteAllText(Path.Combine(root, c, $"{i}.txt"), $"text {c} number {i}");
        }
        return root;
    }

    private static void AssertRefused((int Exit, string Out, string Err) result, string spec, string expected)
    {
        Assert.Equal(ExitCodes.InvalidInput, result.Exit);
        Assert.StartsWith($"error: {spec}:", result.Err);
        Assert.Contains(expected, result.Err);
        Assert.DoesNotContain("unexpected", result.Err);
    }

    [Fact]
    public void A_text_folder_whose_class_folders_link_back_to_their_parents_is_refused_at_once()
    {
        using var temp = new TempDirectory();
        var root = TextFolder(temp);
        Directory.CreateSymbolicLink(Path.Combine(root, "a", "up"), "..");
        Directory.CreateSymbolicLink(Path.Combine(root, "b", "again"), Path.Combine(root, "b"));
        var spec = TextFolderSpec(temp, root);

        AssertRefused(CliHarness.Run("validate", spec), spec, "a symbolic link to");
    }

    [Fact]
    public void A_class_folder_linked_from_elsewhere_is_read_as_the_user_meant()
    {
        using var temp = new TempDirectory();
        var root = TextFolder(temp);
        Directory.Move(Path.Combine(root, "b"), temp.File("elsewhere"));
        Directory.CreateSymbolicLink(Path.Combine(root, "b"), temp.File("elsewhere"));
        var spec = TextFolderSpec(temp, root);

        var (exit, stdout, stderr) = CliHarness.Run("validate", spec);

        Assert.True(exit == 0, stderr);
        Assert.Contains("ok", stdout);
    }

    [Fact]
    public void Archive_members_that_leave_the_archive_are_refused_not_made_into_classes()
    {
        using var temp = new TempDirectory();
        foreach (var evil in new[] { "../outside/x.txt", "/tmp/abs/x.txt", "a//x.txt" })
        {
            var archive = temp.File("evil.tar.gz");
            WriteTarGz(archive, [.. Texts(), (evil, Encoding.UTF8.GetBytes("evil"))]);
            var spec = TextFolderSpec(temp, archive);

            AssertRefused(CliHarness.Run("validate", spec), spec, $"holds '{evil}', a path outside the folder");
        }
    }

    [Trait(TestLevel.Key, TestLevel.Process)]
    [Fact]
    public void A_class_folder_whose_name_is_not_utf8_is_refused_by_name()
    {
        using var temp = new TempDirectory();
        var root = TextFolder(temp);
        var (made, _, madeErr) = CliProcess.RunShell("mkdir \"$(printf 'c\\377')\" && printf 'latin text' > \"$(printf 'c\\377')/1.txt\"", root);
        Assert.True(made == 0, madeErr);
        var spec = TextFolderSpec(temp, root);

        AssertRefused(CliHarness.Run("validate", spec), spec, "a name that is not UTF-8");
    }

    [Fact]
    public void Decompression_bombs_of_each_archive_kind_are_refused_by_member_before_they_are_inflated()
    {
        using var temp = new TempDirectory();
        var zeros = new byte[64 << 20]; // 64 MiB of zeros: 64 KB compressed, four times what one text may be
        var tar = temp.File("bomb.tar.gz");
        WriteTarGz(tar, [.. Texts(), ("a/big.txt", zeros)]);
        var zip = temp.File("bomb.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            foreach (var (name, bytes) in Texts().Append(("a/big.txt", zeros)))
                using (var stream = archive.CreateEntry(name, CompressionLevel.Fastest).Open()) stream.Write(bytes);
        }
        Assert.True(new FileInfo(tar).Length < 1 << 20 && new FileInfo(zip).Length < 1 << 20);

        foreach (var bomb in new[] { tar, zip })
        {
            var spec = TextFolderSpec(temp, bomb);
            AssertRefused(CliHarness.Run("validate", spec), spec, "'a/big.txt' inflates to 67,108,864 bytes, more than the 16,777,216 one text may be");
        }
    }

    [Fact]
    public void Npy_headers_that_declare_more_than_the_file_holds_are_refused_before_anything_is_allocated()
    {
        using var temp = new TempDirectory();
        var spec = NumpySpec(temp, "huge", Npy("<i8", "(1000000, 1000000)", new byte[64]));
        var lengthSpec = NumpySpec(temp, "header", Npy("<i8", "(4,)", new byte[32], declaredHeaderLength: 0xFFFFFFF0));
        var negativeSpec = NumpySpec(temp, "negative", Npy("<i8", "(2, 3)", Int64s(1, 2, -5, 4, 5, 6)));

        AssertRefused(CliHarness.Run("validate", spec), spec, "its header declares shape (1000000, 1000000), 8,000,000,000,000 bytes of data, but it holds");
        AssertRefused(CliHarness.Run("validate", lengthSpec), lengthSpec, "a header of 4,294,967,280 bytes; not a .npy array");
        AssertRefused(CliHarness.Run("validate", negativeSpec), negativeSpec, "holds the id -5; ids are 0 or more");
    }

    [Fact]
    public void A_series_value_beyond_float32_is_refused_by_validate_at_its_line()
    {
        using var temp = new TempDirectory();
        var lines = File.ReadAllLines(CliHarness.Example("data", "weather.csv"));
        lines[10] = string.Join(',', lines[10].Split(',').Select((v, i) => i == 1 ? "1e308" : v));
        File.WriteAllLines(temp.File("weather.csv"), lines);
        var spec = temp.File("weather.yaml");
        File.WriteAllText(spec, File.ReadAllText(CliHarness.Example("data", "weather.yaml")).Replace("experiments/data/weather.csv", temp.File("weather.csv")));

        AssertRefused(CliHarness.Run("validate", spec), spec, $"{temp.File("weather.csv")}:11: column 'temperature': '1e308' is beyond ±3.4e38");
        Assert.Equal(ExitCodes.InvalidInput, CliHarness.Run("run", spec, "--results", temp.File("results")).Exit);
        Assert.False(Directory.Exists(temp.File("results")));
    }

    [Fact]
    public void Results_folders_with_link_loops_list_each_run_once_and_never_walk_out()
    {
        using var temp = new TempDirectory();
        var results = temp.File("results");
        var run = Results.RunIndexTests.WriteRun(results, "basic", 0.9, "001-x");
        Directory.CreateSymbolicLink(Path.Combine(results, "loop"), results);
        Directory.CreateSymbolicLink(Path.Combine(results, "basic", "root"), "/");

        var runs = ResultsTree.RunFolders(results).ToList();
        var (exit, stdout, stderr) = CliHarness.Run("runs", results);

        Assert.Equal([run], runs);
        Assert.True(exit == 0, stderr);
        Assert.Single(stdout.Split('\n'), l => l.Contains("001-x", StringComparison.Ordinal));
    }

    internal static IEnumerable<(string Name, byte[] Bytes)> Texts() =>
        from c in new[] { "a", "b" } from i in Enumerable.Range(0, 4) select ($"{c}/{i}.txt", Encoding.UTF8.GetBytes($"text {c} {i}"));

    internal static void WriteTarGz(string path, IEnumerable<(string Name, byte[] Bytes)> members)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var (name, bytes) in members)
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
    }

    internal static string NumpySpec(TempDirectory temp, string name, byte[] xTrain)
    {
        var folder = temp.File(name);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "x_train.npy"), xTrain);
        File.WriteAllBytes(Path.Combine(folder, "y_train.npy"), Npy("<i8", "(2,)", Int64s(0, 1)));
        File.WriteAllBytes(Path.Combine(folder, "x_test.npy"), Npy("<i8", "(2, 3)", Int64s(1, 2, 3, 4, 5, 6)));
        File.WriteAllBytes(Path.Combine(folder, "y_test.npy"), Npy("<i8", "(2,)", Int64s(0, 1)));
        var spec = temp.File($"{name}.yaml");
        File.WriteAllText(spec, File.ReadAllText(CliHarness.Example("data", "signals-npz.yaml")).Replace("experiments/data/signals.npz", folder));
        return spec;
    }

    internal static byte[] Int64s(params long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }

    /// <summary>A .npy file (format 1.0, or 2.0 with a declared header length that may lie).</summary>
    internal static byte[] Npy(string descr, string shape, byte[] data, uint? declaredHeaderLength = null)
    {
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        header = header.PadRight(header.Length + 63 - header.Length % 64) + "\n";
        var bytes = new List<byte>([0x93, .. "NUMPY"u8]);
        if (declaredHeaderLength is { } declared)
        {
            bytes.AddRange([2, 0]);
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, declared);
            bytes.AddRange(length);
        }
        else
        {
            bytes.AddRange([1, 0, (byte)(header.Length & 0xff), (byte)(header.Length >> 8)]);
        }
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return bytes.ToArray();
    }
}
