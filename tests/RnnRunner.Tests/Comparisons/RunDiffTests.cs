using RnnRunner.Core.Comparisons;
using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Comparisons;

/// <summary><c>runs diff</c>: what differs between two runs (or two sets of seeds), and whether the difference is real.</summary>
public class RunDiffTests
{
    /// <summary>A finished run folder: its resolved spec (the basic spec with <paramref name="units"/>) and its summary.</summary>
    private static string WriteRun(string folder, int units, int seed, double valAccuracy, string engine = "scratch", string cpu = "EPYC (AVX2)")
    {
        Directory.CreateDirectory(folder);
        var spec = Support.Specs.Load(Support.Specs.BasicRnn, $"model[1].units={units}", $"seed={seed}").Spec;
        File.WriteAllText(RunFolder.At(folder).SpecResolved, SpecWriter.ToYaml(spec));
        (TestComparisons.Run("m", valAccuracy, valAccuracy - 0.01, seed: seed).Summary with { Engine = engine, Cpu = cpu })
            .Write(RunFolder.At(folder).Summary);
        return folder;
    }

    [Fact]
    public void Two_runs_differ_in_their_settings_metrics_and_circumstances_and_one_seed_each_cannot_be_judged()
    {
        using var temp = new TempDirectory();
        var a = WriteRun(temp.File("a"), units: 16, seed: 1, valAccuracy: 0.80);
        var b = WriteRun(temp.File("b"), units: 32, seed: 2, valAccuracy: 0.85, engine: "torch", cpu: "Xeon (AVX-512F)");

        var diff = RunDiff.Of(a, b);

        Assert.Equal([new Difference("model[1].units", "16", "32")], diff.Settings); // the seed is what seeds are for: not a setting
        var monitored = diff.Metrics[0];
        Assert.Equal(("val_accuracy", 0.80, 0.85), (monitored.Metric, monitored.A!.Mean, monitored.B!.Mean));
        Assert.Equal(0.05, monitored.Delta!.Value, 12);
        Assert.Equal("one seed each: cannot tell — add `seeds: [1, 2, 3]`", diff.Verdict);
        Assert.Contains(new Difference("engine", "scratch", "torch"), diff.Circumstances);
        Assert.Contains(new Difference("cpu", "EPYC (AVX2)", "Xeon (AVX-512F)"), diff.Circumstances);
    }

    [Fact]
    public void Two_folders_of_seed_repeats_are_judged_by_Welch_s_test_from_the_better_side()
    {
        using var temp = new TempDirectory();
        foreach (var (seed, value) in new[] { (1, 0.80), (2, 0.81), (3, 0.82) }) WriteRun(temp.File($"small/00{seed}"), 16, seed, value);
        foreach (var (seed, value) in new[] { (1, 0.90), (2, 0.91), (3, 0.92) }) WriteRun(temp.File($"large/00{seed}"), 32, seed, value);

        var diff = RunDiff.Of(temp.File("small"), temp.File("large"));

        Assert.Equal(3, diff.A.Count);
        Assert.Equal(3, diff.Metrics[0].B!.N);
        Assert.Equal("B is better (p < 0.001)", diff.Verdict);
    }

    [Fact]
    public void The_command_prints_the_differences_and_refuses_a_folder_without_runs_in_one_line()
    {
        using var temp = new TempDirectory();
        var a = WriteRun(temp.File("a"), units: 16, seed: 1, valAccuracy: 0.80);
        var b = WriteRun(temp.File("b"), units: 32, seed: 1, valAccuracy: 0.85);
        Directory.CreateDirectory(temp.File("empty"));

        var (exit, stdout, _) = CliHarness.Run("runs", "diff", a, b);
        var (refused, _, stderr) = CliHarness.Run("runs", "diff", a, temp.File("empty"));

        Assert.Equal(0, exit);
        Assert.Contains("model[1].units  16 → 32", stdout);
        Assert.Contains("val_accuracy", stdout);
        Assert.Equal(2, refused);
        Assert.Equal($"error: {temp.File("empty")}: no run folder (summary.json) here or below", stderr.Trim());
    }
}
