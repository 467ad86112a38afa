using System.Diagnostics;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Reliability;

/// <summary>A test that mounts a size-limited tmpfs, which needs root; skipped, saying so, elsewhere.</summary>
[Trait(TestLevel.Key, TestLevel.Process)]
public sealed class NeedsRootFactAttribute : FactAttribute
{
    public NeedsRootFactAttribute()
    {
        if (Environment.UserName != "root") Skip = "needs root to mount a size-limited tmpfs";
    }
}

public class FullDiskTests
{
    private static void Sh(string command, params string[] args)
    {
        using var process = Process.Start(command, args)!;
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed");
    }

    [NeedsRootFact]
    public void Running_out_of_disk_space_is_a_clear_error_and_what_was_written_stays_complete()
    {
        using var temp = new TempDirectory();
        var disk = temp.File("disk");
        Directory.CreateDirectory(disk);
        Sh("mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", disk); // room for the spec files and a few epochs, not for the charts
        try
        {
            var (exit, stdout, stderr) = CliProcess.Run("run", CliHarness.Example("basics", "basic-rnn.yaml"),
                "--set", "training.epochs=4", "--set", "training.early_stopping=null", "--results", disk, "-q");

            Assert.Equal(RnnRunner.Cli.ExitCodes.RunFailed, exit);
            Assert.Contains("No space left on device", stderr);
            Assert.DoesNotContain("   at ", stderr);
            var folder = Directory.GetDirectories(Path.Combine(disk, "basic-rnn")).Single(d => !d.EndsWith(".claims"));
            foreach (var file in Directory.GetFiles(folder, "*.*", SearchOption.AllDirectories))
            {
                if (Path.GetFileName(file).StartsWith('.')) continue; // a temporary that could not be completed
                switch (Path.GetExtension(file))
                {
                    case ".json": using (System.Text.Json.JsonDocument.Parse(File.ReadAllText(file))) { } break;
                    case ".csv" when Path.GetFileName(file) == RnnRunner.Core.Results.PredictionsCsv.FileName:
                        RnnRunner.Core.Results.PredictionsCsv.Read(file); break;
                    case ".csv": RnnRunner.Core.Results.MetricsCsv.Read(file); break;
                    case ".yaml": RnnRunner.Core.Specs.Yaml.YamlTreeReader.ReadFile(file); break;
                }
            }
        }
        finally
        {
            Sh("umount", disk);
        }
    }

    [NeedsRootFact]
    public void A_disk_too_full_for_a_runs_first_files_leaves_no_half_made_folder()
    {
        using var temp = new TempDirectory();
        var disk = temp.File("disk");
        Directory.CreateDirectory(disk);
        Sh("mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", disk); // two pages: the folder and claim fit, the spec files do not
        try
        {
            var (exit, _, stderr) = CliProcess.Run("run", CliHarness.Example("basics", "basic-rnn.yaml"), "--results", disk, "-q");

            Assert.Equal(RnnRunner.Cli.ExitCodes.RunFailed, exit);
            Assert.Contains("No space left on device", stderr);
            var runs = Directory.Exists(Path.Combine(disk, "basic-rnn"))
                ? Directory.GetDirectories(Path.Combine(disk, "basic-rnn")).Where(d => !Path.GetFileName(d).StartsWith('.')).ToList()
                : [];
            Assert.Empty(runs);
        }
        finally
        {
            Sh("umount", disk);
        }
    }
}
