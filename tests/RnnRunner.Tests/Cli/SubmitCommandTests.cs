using RnnRunner.Cli.Commands.Submit;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Cli;

/// <summary>
/// <c>rnnrunner submit slurm</c> without a cluster: the scripts it writes, the sbatch calls it makes (to a stand-in
/// sbatch that records them), and the scripts themselves run by bash as Slurm would run each array task.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Slurm, bash and executable bits: Linux and macOS
[Trait(TestLevel.Key, TestLevel.Slurm)]
public class SubmitCommandTests
{
    private static string Grid(TempDirectory temp)
    {
        File.WriteAllText(temp.File("base.yaml"), Support.Specs.BasicRnn.Replace("epochs: 3", "epochs: 1").Replace("train_samples: 600", "train_samples: 200"));
        File.WriteAllText(temp.File("grid.yaml"), "name: g\nbase: base.yaml\naxes:\n  model[1].units: [2, 3]\nseeds: [1, 2]\n");
        return temp.File("grid.yaml");
    }

    /// <summary>A stand-in sbatch on PATH: records each call's arguments in a file and prints job ids 101, 102, ….</summary>
    private static Dictionary<string, string> FakeSbatch(TempDirectory temp)
    {
        var bin = temp.File("bin");
        Directory.CreateDirectory(bin);
        File.WriteAllText(Path.Combine(bin, "sbatch"), $$"""
            #!/bin/bash
            echo "$*" >> {{temp.File("sbatch.calls")}}
            echo $((100 + $(wc -l < {{temp.File("sbatch.calls")}})))
            """);
        File.SetUnixFileMode(Path.Combine(bin, "sbatch"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new Dictionary<string, string> { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}" };
    }

    [Fact]
    public void A_dry_run_prints_an_array_of_fixed_shards_with_logs_in_the_folder_requeue_a_timely_signal_and_the_allocation_s_threads()
    {
        using var temp = new TempDirectory();

        var (exit, stdout, stderr) = CliProcess.Run("submit", "slurm", Grid(temp), "--results", temp.File("results"), "--time", "01:00:00",
            "--throttle", "2", "--partition", "short", "--sbatch-arg=--mem=2G", "--dry-run");

        Assert.True(exit == 0, stderr);
        foreach (var line in new[] { "#SBATCH --array=1-4%2", "#SBATCH --open-mode=append", "#SBATCH --requeue", "#SBATCH --signal=B:TERM@120",
                     "#SBATCH --time=01:00:00", "#SBATCH --partition=short", "#SBATCH --mem=2G", "slurm/%A_%a.out",
                     "--shard \"${SLURM_ARRAY_TASK_ID}/4\" --no-report", "--threads \"${SLURM_CPUS_PER_TASK:-1}\"", "#SBATCH --job-name=g-report", " compare " })
            Assert.Contains(line, stdout);
        Assert.False(Directory.Exists(temp.File("results")));
    }

    [Fact]
    public void Submitting_writes_both_scripts_into_the_grid_folder_and_the_report_job_waits_for_the_array_and_the_scripts_run_as_slurm_would()
    {
        using var temp = new TempDirectory();
        var environment = FakeSbatch(temp);

        var (exit, stdout, stderr) = CliProcess.Run(environment, "submit", "slurm", Grid(temp), "--results", temp.File("results"));

        Assert.True(exit == 0, stderr);
        Assert.Contains("Submitted array job 101 (4 tasks) and report job 102", stdout);
        var folder = Directory.GetDirectories(temp.File("results/g")).Single(d => d.Contains("shared-"));
        var calls = File.ReadAllLines(temp.File("sbatch.calls"));
        Assert.Equal($"--parsable {folder}/slurm/array.sbatch", calls[0]);
        Assert.Equal($"--parsable --dependency=afterany:101 {folder}/slurm/report.sbatch", calls[1]);

        // Each task as Slurm runs it (task 3 alone, resubmitted, works the same), then the report, once.
        foreach (var task in new[] { "1", "2", "3", "4" })
        {
            var (taskExit, _, taskErr) = RunScript(Path.Combine(folder, "slurm", "array.sbatch"), task);
            Assert.True(taskExit == 0, taskErr);
            Assert.False(File.Exists(Path.Combine(folder, "comparison.csv")), "a task wrote the comparison");
        }
        var (reportExit, _, reportErr) = RunScript(Path.Combine(folder, "slurm", "report.sbatch"), null);
        Assert.True(reportExit == 0, reportErr);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(folder, "comparison.csv")).Length);
    }

    [Fact]
    public void An_invalid_grid_is_refused_before_anything_is_submitted()
    {
        using var temp = new TempDirectory();
        var environment = FakeSbatch(temp);
        File.WriteAllText(temp.File("bad.yaml"), File.ReadAllText(Grid(temp)).Replace("model[1].units: [2, 3]", "model[1].units: [2, -3]"));

        var (exit, _, stderr) = CliProcess.Run(environment, "submit", "slurm", temp.File("bad.yaml"), "--results", temp.File("results"));

        Assert.Equal(2, exit);
        Assert.Contains("bad.yaml:", stderr);
        Assert.False(File.Exists(temp.File("sbatch.calls")));
        Assert.False(Directory.Exists(temp.File("results")));
    }

    [Theory]
    [InlineData("90", 90 * 60, 120)]
    [InlineData("01:00:00", 3600, 120)]
    [InlineData("8", 480, 120)]
    [InlineData("00:02:00", 120, 30)] // a two-minute lead would signal the task as it starts
    [InlineData("5:00", 300, 75)]
    [InlineData("1-12", 36 * 3600, 120)]
    [InlineData("2-03:04", (2 * 24 + 3) * 3600 + 4 * 60, 120)]
    [InlineData("1-00:00:30", 24 * 3600 + 30, 120)]
    public void A_time_limit_is_read_in_every_slurm_format_and_the_stop_signal_falls_inside_it(string text, int seconds, int lead)
    {
        Assert.True(SlurmTime.TryParse(text, out var time));

        Assert.Equal(TimeSpan.FromSeconds(seconds), time.Limit);
        Assert.Equal(lead, time.SignalLeadSeconds);
    }

    [Fact]
    public void Without_a_limit_the_task_is_signalled_two_minutes_before_whatever_limit_the_partition_sets()
    {
        Assert.True(SlurmTime.TryParse("UNLIMITED", out var time));
        Assert.Null(time.Limit);
        Assert.Equal(120, time.SignalLeadSeconds);
    }

    [Theory]
    [InlineData("2h")]
    [InlineData("1:2:3:4")]
    [InlineData("0")]
    [InlineData("-5")]
    public void A_time_limit_slurm_would_not_read_is_refused_before_anything_is_written_or_submitted(string text)
    {
        using var temp = new TempDirectory();
        var environment = FakeSbatch(temp);

        var (exit, _, stderr) = CliProcess.Run(environment, "submit", "slurm", Grid(temp), "--results", temp.File("results"), $"--time={text}");

        Assert.Equal(2, exit);
        Assert.Equal($"error: --time {text}: not a Slurm time limit (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS or UNLIMITED)", stderr.Trim());
        Assert.False(File.Exists(temp.File("sbatch.calls")));
        Assert.False(Directory.Exists(temp.File("results")));
    }

    private static (int Exit, string Out, string Err) RunScript(string script, string? task)
    {
        var environment = new Dictionary<string, string> { ["SLURM_CPUS_PER_TASK"] = "1", ["SLURM_JOB_ID"] = "101" };
        if (task is not null) environment["SLURM_ARRAY_TASK_ID"] = task;
        var start = new System.Diagnostics.ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
