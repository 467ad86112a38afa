using System.Text.Json;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Results;
using RnnRunner.Core.Training;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Reliability;

/// <summary>Real processes: started together, or killed with SIGKILL at arbitrary moments.</summary>
[Trait(TestLevel.Key, TestLevel.Process)]
public class ConcurrencyAndCrashTests
{
    private static string WriteSpec(TempDirectory temp, int epochs, int samples)
    {
        var path = temp.File("spec.yaml");
        File.WriteAllText(path, Support.Specs.BasicRnn.Replace("epochs: 3", $"epochs: {epochs}").Replace("train_samples: 600", $"train_samples: {samples}"));
        return path;
    }

    [Fact]
    public void Eight_runners_started_at_once_on_one_results_folder_get_distinct_complete_folders()
    {
        using var temp = new TempDirectory();
        var spec = WriteSpec(temp, epochs: 1, samples: 200);

        var processes = Enumerable.Range(0, 8).Select(_ => CliProcess.Start("run", spec, "--results", temp.File("results"), "-q")).ToList();
        var outputs = processes.Select(p => { var o = p.StandardOutput.ReadToEnd(); p.WaitForExit(); return (p.ExitCode, o); }).ToList();

        Assert.All(outputs, o => Assert.Equal(0, o.ExitCode));
        var folders = outputs.Select(o => o.o.Trim()["Results: ".Length..]).ToList();
        Assert.Equal(8, folders.Distinct().Count());
        foreach (var folder in folders)
        {
            var summary = RunSummary.Read(Path.Combine(folder, "summary.json"));
            Assert.Equal(RunStatus.Completed, summary.Status);
            Assert.Equal(Path.GetFileName(folder), summary.RunId);
            Assert.Equal(2, File.ReadAllLines(Path.Combine(folder, "metrics.csv")).Length);
            // Each log holds only its own run's events: nothing interleaved from the other seven.
            Assert.All(File.ReadAllLines(Path.Combine(folder, "log.jsonl")),
                line => Assert.Equal($"tiny/{summary.RunId}", JsonDocument.Parse(line).RootElement.GetProperty("Run").GetString()));
        }
    }

    [Fact]
    public void A_run_killed_at_random_moments_leaves_only_complete_files_and_can_be_resumed()
    {
        using var temp = new TempDirectory();
        var spec = WriteSpec(temp, epochs: 80, samples: 3000); // several seconds of training: every kill lands mid-run
        var random = new Random(20261124); // fixed, so a failure can be replayed
        var results = temp.File("results");

        for (var attempt = 0; attempt < 4; attempt++)
        {
            var before = Folders(results).Count;
            using var process = CliProcess.Start("run", spec, "--results", results, "-q");
            if (attempt % 2 == 0)
                Thread.Sleep(random.Next(200, 1500));          // during start-up: allocation, spec files, data
            else
            {
                WaitForFirstEpoch(results, before);             // during training, at a random point of an epoch
                Thread.Sleep(random.Next(0, 2500));
            }
            process.Kill(); // SIGKILL: no handler runs, nothing gets flushed
            process.WaitForExit();
        }

        var folders = Folders(results);
        Assert.InRange(folders.Count, 2, 4); // a kill early in start-up may come before the folder exists
        foreach (var folder in folders)
        {
            AssertEveryFileParses(RunFolder.Open(folder));
            if (File.Exists(Path.Combine(folder, "summary.json")))
                Assert.Equal(RunStatus.Running, RunSummary.Read(Path.Combine(folder, "summary.json")).Status);
        }

        // A killed run still says "running": recognisably crashed, and resumable from its checkpoint.
        var crashed = RunFolder.Open(folders.First(f => File.Exists(Path.Combine(f, "checkpoint.bin"))));
        var (exit, _, stderr) = CliProcess.Run("resume", crashed.Path, "-q");
        Assert.True(exit == 0, stderr);
        Assert.Equal(RunStatus.Completed, RunSummary.Read(crashed.Summary).Status);
        Assert.Equal(81, File.ReadAllLines(crashed.Metrics).Length);
    }

    private static List<string> Folders(string results) =>
        Directory.Exists(Path.Combine(results, "tiny"))
            ? Directory.GetDirectories(Path.Combine(results, "tiny")).Where(d => !d.EndsWith(".claims")).Order().ToList()
            : [];

    private static void WaitForFirstEpoch(string results, int existingFolders)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var folders = Folders(results);
            if (folders.Count > existingFolders)
            {
                var metrics = Path.Combine(folders[^1], "metrics.csv");
                if (File.Exists(metrics) && File.ReadAllLines(metrics).Length >= 2) return;
            }
            Thread.Sleep(50);
        }
        throw new TimeoutException("the run never completed an epoch");
    }

    private static void AssertEveryFileParses(RunFolder folder)
    {
        foreach (var file in Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith('.') && name.EndsWith(".tmp")) continue; // an unfinished temporary, never a results file
            switch (Path.GetExtension(file))
            {
                case ".json": using (JsonDocument.Parse(File.ReadAllText(file))) { } break;
                case ".csv": MetricsCsv.Read(file); break;
                case ".yaml": RnnRunner.Core.Specs.Yaml.YamlTreeReader.ReadFile(file); break;
                case ".jsonl":
                    // Append-only: every complete line parses; only a torn final line (no newline) may be cut.
                    var text = File.ReadAllText(file);
                    var lines = text.Split('\n');
                    foreach (var line in lines[..^1]) using (JsonDocument.Parse(line)) { }
                    break;
                case ".bin" when name == "weights.bin": using (var s = File.OpenRead(file)) WeightsFile.Read(s, file); break;
                case ".bin": Assert.Equal("RNNCKPT1"u8.ToArray(), File.ReadAllBytes(file)[..8]); break;
                case ".png": Assert.Equal(0x89, File.ReadAllBytes(file)[0]); break;
                case ".svg": Assert.EndsWith("</svg>", File.ReadAllText(file).TrimEnd()); break;
            }
        }
    }
}
