using System.IO.Compression;
using System.Text;
using RnnRunner.Cli;
using RnnRunner.Tests.Support;
using static RnnRunner.Tests.Reliability.HostileDataTests;

namespace RnnRunner.Tests.Reliability;

/// <summary>
/// The inventory: every way a data file the user points at can be broken — each input-reading path (text folders and
/// their archives, tables, NumPy arrays, time series) met with each kind of hostile content — is an input error, exit 2,
/// from <c>validate</c> and from <c>run</c> alike, with one located line and no results folder; none reaches the
/// "unexpected" handler, which is kept for bugs.
/// </summary>
[Collection(TorchCollection.Name)]
public class UnexpectedErrorInventoryTests
{
    /// <summary>Each case writes its hostile input into the folder and returns the spec that reads it.</summary>
    private static readonly Dictionary<string, Func<TempDirectory, string>> Cases = new()
    {
        ["text folder: a symbolic-link loop"] = temp =>
        {
            var root = TextFolder(temp);
            Directory.CreateSymbolicLink(Path.Combine(root, "a", "up"), "..");
            return TextFolderSpec(temp, root);
        },
        ["text folder: a name that is not UTF-8"] = temp =>
        {
            var root = TextFolder(temp);
            CliProcess.RunShell("mkdir \"$(printf 'c\\377')\"", root);
            return TextFolderSpec(temp, root);
        },
        ["tar.gz: a member outside the archive"] = temp => Tar(temp, ("../outside/x.txt", "evil"u8.ToArray())),
        ["tar.gz: a decompression bomb"] = temp => Tar(temp, ("a/big.txt", new byte[20 << 20])),
        ["zip: a member outside the archive"] = temp => Zip(temp, ("/abs/x.txt", "evil"u8.ToArray())),
        ["zip: a decompression bomb"] = temp => Zip(temp, ("b/big.txt", new byte[20 << 20])),
        ["table: a cell longer than any text"] = temp => Table(temp, "text,queue\n\"" + new string('w', (4 << 20) + 1) + "\",billing\n"),
        ["table: a JSON line longer than any text"] = temp => Table(temp, "{\"text\": \"" + new string('w', (4 << 20) + 1) + "\", \"queue\": \"billing\"}\n", ".jsonl"),
        ["table: bytes that are not UTF-8"] = temp => Table(temp, "text,queue\nabc\xff,billing\n", latin1: true),
        ["npy: a shape beyond the file"] = temp => NumpySpec(temp, "huge", Npy("<i8", "(1000000, 1000000)", new byte[64])),
        ["npy: a header length beyond the file"] = temp => NumpySpec(temp, "header", Npy("<i8", "(4,)", new byte[32], declaredHeaderLength: 0xFFFFFFF0)),
        ["npy: a negative shape"] = temp => NumpySpec(temp, "negative-shape", Npy("<i8", "(-2, 3)", new byte[48])),
        ["npy: a negative id"] = temp => NumpySpec(temp, "negative-id", Npy("<i8", "(2, 3)", Int64s(1, 2, -5, 4, 5, 6))),
        ["npy: cut short"] = temp => NumpySpec(temp, "short", Npy("<i8", "(2, 3)", Int64s(1, 2, 3))),
        ["timeseries: a value beyond float32"] = temp => Series(temp, "1e308"),
        ["timeseries: infinity"] = temp => Series(temp, "inf"),
        ["timeseries: a cell longer than any number"] = temp => Series(temp, new string('9', (4 << 20) + 1)),
    };

    public static TheoryData<string> Names() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void A_hostile_data_file_is_input_error_from_validate_and_run_never_unexpected(string name)
    {
        using var temp = new TempDirectory();
        var spec = Cases[name](temp);

        var validate = CliHarness.Run("validate", spec);
        var run = CliHarness.Run("run", spec, "--results", temp.File("results"));

        foreach (var (exit, stdout, stderr) in new[] { validate, run })
        {
            Assert.True(exit == ExitCodes.InvalidInput, $"{name}: exit {exit}: {stderr}");
            Assert.StartsWith($"error: {spec}:", stderr);
            Assert.DoesNotContain("unexpected", stderr);
            Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        }
        Assert.False(Directory.Exists(temp.File("results")), $"{name}: run left a results folder");
    }

    private static string Tar(TempDirectory temp, (string Name, byte[] Bytes) hostile)
    {
        WriteTarGz(temp.File("texts.tar.gz"), [.. Texts(), hostile]);
        return TextFolderSpec(temp, temp.File("texts.tar.gz"));
    }

    private static string Zip(TempDirectory temp, (string Name, byte[] Bytes) hostile)
    {
        using (var archive = ZipFile.Open(temp.File("texts.zip"), ZipArchiveMode.Create))
            foreach (var (name, bytes) in Texts().Append(hostile))
                using (var stream = archive.CreateEntry(name, CompressionLevel.Fastest).Open()) stream.Write(bytes);
        return TextFolderSpec(temp, temp.File("texts.zip"));
    }

    private static string Table(TempDirectory temp, string hostileRows, string extension = ".csv", bool latin1 = false)
    {
        var rows = File.ReadAllLines(CliHarness.Example("data", "tickets.csv")).Skip(1).Take(60).Select(r => r[(r.IndexOf(',') + 1)..]);
        var path = temp.File("tickets" + extension);
        var good = extension == ".csv" ? string.Concat(rows.Select(r => r + "\n"))
            : string.Concat(rows.Select(r => $"{{\"text\": \"{r[..r.LastIndexOf(',')].Replace("\"", "")}\", \"queue\": \"{r[(r.LastIndexOf(',') + 1)..]}\"}}\n"));
        var text = extension == ".csv" ? hostileRows.Replace("text,queue\n", "text,queue\n" + good) : good + hostileRows;
        File.WriteAllBytes(path, latin1 ? Encoding.Latin1.GetBytes(text) : Encoding.UTF8.GetBytes(text));
        var spec = temp.File("table.yaml");
        File.WriteAllText(spec, File.ReadAllText(CliHarness.Example("data", "tickets.yaml")).Replace("experiments/data/tickets.csv", path));
        return spec;
    }

    private static string Series(TempDirectory temp, string value)
    {
        var lines = File.ReadAllLines(CliHarness.Example("data", "weather.csv"));
        lines[20] = string.Join(',', lines[20].Split(',').Select((v, i) => i == 2 ? value : v));
        File.WriteAllLines(temp.File("weather.csv"), lines);
        var spec = temp.File("weather.yaml");
        File.WriteAllText(spec, File.ReadAllText(CliHarness.Example("data", "weather.yaml")).Replace("experiments/data/weather.csv", temp.File("weather.csv")));
        return spec;
    }
}
