using RnnRunner.Core.Comparisons;
using RnnRunner.Core.Grids;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Training;
using RnnRunner.Engines.Torch;
using RnnRunner.Plotting;
using RnnRunner.Tests.Support;
using Serilog;

namespace RnnRunner.Tests.Grids;

public class GridExpansionTests
{
    private static ExpandedGrid Expand(TempDirectory temp, string grid)
    {
        File.WriteAllText(temp.File("base.yaml"), Support.Specs.BasicRnn);
        File.WriteAllText(temp.File("grid.yaml"), grid);
        return GridExpander.LoadFile(temp.File("grid.yaml"));
    }

    [Fact]
    public void Axes_expand_to_their_cartesian_product_crossed_with_seeds_and_named_by_what_differs()
    {
        using var temp = new TempDirectory();
        var grid = Expand(temp, """
            name: g
            base: base.yaml
            axes:
              model[1]: [{type: lstm, units: 8}, {type: gru, units: 8}]
              training.optimizer.learning_rate: [0.01, 0.001]
            seeds: [1, 2]
            """);

        Assert.Equal(8, grid.Trials.Count);
        Assert.Equal(["lstm8_lr0.01_seed1", "lstm8_lr0.01_seed2", "lstm8_lr0.001_seed1", "lstm8_lr0.001_seed2",
            "gru8_lr0.01_seed1", "gru8_lr0.01_seed2", "gru8_lr0.001_seed1", "gru8_lr0.001_seed2"], grid.Trials.Select(t => t.Name));
        var trial = grid.Trials[6];
        Assert.IsType<GruLayerSpec>(trial.Spec.Spec.Model[1]);
        Assert.Equal(0.001, trial.Spec.Spec.Training.Optimizer.LearningRate);
        Assert.Equal(1, trial.Spec.Spec.Seed);
        Assert.Equal("gru8_lr0.001", trial.Group);
        Assert.Equal(trial.Name, trial.Spec.Spec.Name);
        Assert.Equal(["model[1]={type: gru, units: 8}", "training.optimizer.learning_rate=0.001", "seed=1"], trial.Spec.Overrides);
    }

    [Fact]
    public void Engines_and_devices_label_trials_by_their_own_names()
    {
        using var temp = new TempDirectory();
        var grid = Expand(temp, """
            name: g
            base: base.yaml
            axes:
              engine: [torch, scratch]
            """);

        Assert.Equal(["torch", "scratch"], grid.Trials.Select(t => t.Name));
        Assert.Equal(EngineKind.Scratch, grid.Trials[1].Spec.Spec.Engine);
    }

    [Fact]
    public void Variants_are_named_sets_of_overrides_crossed_with_the_axes()
    {
        using var temp = new TempDirectory();
        var grid = Expand(temp, """
            name: g
            base: base.yaml
            axes:
              training.batch_size: [16, 64]
            variants:
              - name: small
                set:
                  model[1].units: 4
              - name: stacked
                set:
                  model[1].return_sequences: true
                  model[2]: {type: simple_rnn, units: 4}
                  model[3]: {type: dense, units: 1, activation: sigmoid}
            """);

        Assert.Equal(["small_batch_size16", "small_batch_size64", "stacked_batch_size16", "stacked_batch_size64"], grid.Trials.Select(t => t.Name));
        Assert.Equal(4, grid.Trials[2].Spec.Spec.Model.Count);
    }

    [Fact]
    public void Identity_is_a_hash_of_the_resolved_spec_and_the_grid_identity_follows_its_trials()
    {
        using var temp = new TempDirectory();
        var text = "name: g\nbase: base.yaml\naxes:\n  model[1].units: [4, 8]\n";
        var a = Expand(temp, text);
        var b = Expand(temp, text);
        var c = Expand(temp, text.Replace("[4, 8]", "[4, 9]"));

        Assert.Equal(a.Trials.Select(t => t.Identity), b.Trials.Select(t => t.Identity));
        Assert.Equal(a.Identity, b.Identity);
        Assert.NotEqual(a.Identity, c.Identity);
        Assert.Equal(a.Trials[0].Identity, c.Trials[0].Identity);
    }

    [Fact]
    public void Every_invalid_trial_is_reported_before_anything_runs_pointing_at_the_grid_file()
    {
        using var temp = new TempDirectory();

        var e = Assert.Throws<SpecException>(() => Expand(temp, "name: g\nbase: base.yaml\naxes:\n  model[1].units: [4, 0, -1]\n"));

        Assert.Equal(2, e.Errors.Count);
        Assert.All(e.Errors, error => Assert.Equal(4, error.Mark.Line));
        Assert.All(e.Errors, error => Assert.EndsWith("grid.yaml", error.Mark.Source));
    }

    [Fact]
    public void A_missing_base_or_an_unknown_grid_key_is_a_clear_error()
    {
        using var temp = new TempDirectory();

        Assert.Contains("no such spec file", Assert.Throws<SpecException>(() => Expand(temp, "name: g\nbase: nope.yaml\n")).Message);
        Assert.Contains("did you mean 'axes'", Assert.Throws<SpecException>(() => Expand(temp, "name: g\nbase: base.yaml\naxis: {}\n")).Message);
    }

    [Fact]
    public void Dry_run_lists_the_trials_and_runs_nothing()
    {
        using var temp = new TempDirectory();

        var (exit, stdout, _) = CliHarness.Run("grid", CliHarness.Example("basics", "compare-cells.yaml"), "--dry-run", "--results", temp.Path);

        Assert.Equal(0, exit);
        Assert.StartsWith("basics-compare-cells: 9 trials", stdout);
        Assert.Contains("lstm32_seed2", stdout);
        Assert.Contains("6,913 params", stdout);
        Assert.False(Directory.Exists(temp.File("basics-compare-cells")));

        var (jsonExit, json, _) = CliHarness.Run("grid", CliHarness.Example("basics", "compare-cells.yaml"), "--dry-run", "--json");
        Assert.Equal(0, jsonExit);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(9, document.RootElement.GetProperty("trials").GetArrayLength());
        Assert.Equal(6913, document.RootElement.GetProperty("trials")[3].GetProperty("parameters").GetInt64());
    }

    [Fact]
    public void A_sharded_dry_run_lists_only_its_trials_and_names_the_shared_folder_and_an_empty_shard_does_nothing()
    {
        using var temp = new TempDirectory();
        var grid = CliHarness.Example("basics", "compare-cells.yaml");

        var (exit, stdout, _) = CliHarness.Run("grid", grid, "--dry-run", "--shard", "2/4", "--results", temp.Path, "--json");
        var (emptyExit, _, emptyErr) = CliHarness.Run("grid", grid, "--shard", "10/10", "--results", temp.Path);

        Assert.Equal(0, exit);
        using var document = System.Text.Json.JsonDocument.Parse(stdout);
        // Trials 2 and 6 of the nine (every fourth from the second).
        Assert.Equal(["simple_rnn32_seed2", "lstm32_seed3"], document.RootElement.GetProperty("trials").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.StartsWith(Path.Combine(temp.Path, "basics-compare-cells", "shared-"), document.RootElement.GetProperty("folder").GetString());
        Assert.Equal(0, emptyExit);
        Assert.Contains("shard 10/10 holds no trial of this grid's 9; nothing to do", emptyErr);
        Assert.False(Directory.Exists(temp.File("basics-compare-cells")));
    }
}

[Collection(TorchCollection.Name)]
public class GridRunTests
{
    private static GridRunner Runner(RunOptions options) =>
        new(new InProcessTrials(TestRuns.New, options),
            new LoggerConfiguration().CreateLogger(), new ComparisonCharts());

    private static ExpandedGrid Grid(TempDirectory temp, string axes)
    {
        File.WriteAllText(temp.File("base.yaml"), Support.Specs.BasicRnn.Replace("epochs: 3", "epochs: 2"));
        File.WriteAllText(temp.File("grid.yaml"), $"name: g\nbase: base.yaml\naxes:\n{axes}seeds: [1, 2]\n");
        return GridExpander.LoadFile(temp.File("grid.yaml"));
    }

    private sealed class InterruptAtEpoch(int stopAfterEpochs, CancellationTokenSource source) : ITrainingObserver
    {
        private int _epochs;
        public void EpochCompleted(EpochMetrics metrics, bool isBest)
        {
            if (++_epochs == stopAfterEpochs) source.Cancel();
        }
    }

    [Fact]
    public void An_edited_grid_reuses_every_completed_trial_whose_spec_is_unchanged_instead_of_retraining_it()
    {
        using var temp = new TempDirectory();
        var first = Runner(new RunOptions(temp.File("results"))).Run(Grid(temp, "  model[1].units: [4, 8]\n"), new GridOptions(temp.File("results")));

        // One more value: a different grid (a new folder), but four of its six trials are the same experiments.
        var second = Runner(new RunOptions(temp.File("results"))).Run(Grid(temp, "  model[1].units: [4, 8, 5]\n"), new GridOptions(temp.File("results")));

        Assert.NotEqual(first.Folder, second.Folder);
        Assert.Equal(6, second.Trials.Count);
        Assert.Equal(4, second.Trials.Count(t => t.Skipped));
        Assert.All(second.Trials.Where(t => !t.Trial.Name.StartsWith("u5")), t => Assert.True(t.Skipped, t.Trial.Name));
        foreach (var reused in second.Trials.Where(t => t.Skipped))
            Assert.Equal(File.ReadAllText(RunFolder.At(Path.Combine(first.Folder, "trials", reused.Trial.Name)).Metrics),
                File.ReadAllText(RunFolder.At(reused.Folder).Metrics));
        Assert.All(second.Trials, t => Assert.Equal(RunStatus.Completed, t.Summary.Status));
        Assert.Equal(7, File.ReadAllLines(Path.Combine(second.Folder, "comparison.csv")).Length);
    }

    [Fact]
    public void Rerunning_an_interrupted_grid_skips_completed_trials_and_resumes_the_interrupted_one()
    {
        using var temp = new TempDirectory();
        var grid = Grid(temp, "  model[1].units: [4, 8]\n");
        using var cancel = new CancellationTokenSource();

        // 4 trials × 2 epochs: stop during the third trial, after its first epoch.
        var first = Runner(new RunOptions(temp.File("results")) { Progress = new InterruptAtEpoch(5, cancel) })
            .Run(grid, new GridOptions(temp.File("results")), cancel.Token);
        Assert.True(first.Interrupted);
        Assert.Equal(3, first.Trials.Count);

        var second = Runner(new RunOptions(temp.File("results"))).Run(grid, new GridOptions(temp.File("results")));

        Assert.Equal(first.Folder, second.Folder);
        Assert.Equal([true, true, false, false], second.Trials.Select(t => t.Skipped));
        Assert.All(second.Trials, t => Assert.Equal(RunStatus.Completed, t.Summary.Status));
        Assert.Equal(1, second.Trials[2].Summary.Resumes); // continued from its checkpoint, not restarted
        var comparison = File.ReadAllText(Path.Combine(second.Folder, "comparison.md"));
        Assert.Contains("| u4 | 2 |", comparison);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(second.Folder, "comparison.csv")).Length);
        foreach (var chart in new[] { "compare-val_loss", "compare-val_loss-seed-mean", "compare-test-accuracy", "compare-accuracy-vs-speed" })
        {
            Assert.True(new FileInfo(Path.Combine(second.Folder, "charts", chart + ".png")).Length > 1000, chart);
            Assert.Contains("</svg>", File.ReadAllText(Path.Combine(second.Folder, "charts", chart + ".svg")));
        }
        Assert.Contains("u8 (n=2)", File.ReadAllText(Path.Combine(second.Folder, "charts", "compare-val_loss-seed-mean.svg")));
    }

    [Fact]
    public void A_failing_trial_does_not_stop_the_others_unless_fail_fast()
    {
        using var temp = new TempDirectory();
        // One trial is valid as a spec but fails when it loads its data (an IMDB archive that is not one).
        File.WriteAllText(temp.File("base.yaml"), Support.Specs.BasicRnn.Replace("epochs: 3", "epochs: 1"));
        File.WriteAllText(temp.File("imdb.tar.gz"), "not an archive");
        File.WriteAllText(temp.File("grid.yaml"), $$$"""
            name: g
            base: base.yaml
            variants:
              - name: broken
                set: {data: {dataset: imdb, path: {{{temp.File("imdb.tar.gz")}}}, num_words: 12, maxlen: 10}}
              - name: fine
                set: {seed: 3}
            """);
        var grid = GridExpander.LoadFile(temp.File("grid.yaml"));

        var all = Runner(new RunOptions(temp.File("a"))).Run(grid, new GridOptions(temp.File("a")));
        var fast = Runner(new RunOptions(temp.File("b"))).Run(grid, new GridOptions(temp.File("b")) { FailFast = true });

        Assert.Equal([RunStatus.Failed, RunStatus.Completed], all.Trials.Select(t => t.Summary.Status));
        Assert.Contains("imdb.tar.gz", all.Trials[0].Summary.Message);
        Assert.Single(fast.Trials);
    }
}

[Collection(TorchCollection.Name)]
public class ComparisonTests
{
    [Fact]
    public void A_regression_grid_is_compared_on_its_own_test_metric_with_snake_case_columns()
    {
        // noisy_sine reports mae, not accuracy: the tables, the report and the charts must say test_mae.
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("base.yaml"), """
            name: sine
            seed: 3
            data: {dataset: noisy_sine, sequence_length: 8, train_samples: 60, test_samples: 20}
            model:
              - {type: lstm, units: 4, return_sequences: true}
              - {type: dense, units: 1}
            training: {epochs: 2, batch_size: 16, loss: mse, metrics: [mae],
              early_stopping: {monitor: val_mae, patience: 2}}
            """);
        File.WriteAllText(temp.File("grid.yaml"), "name: g\nbase: base.yaml\naxes:\n  model[0].units: [3, 5]\n");

        var outcome = new GridRunner(new InProcessTrials(TestRuns.New, new RunOptions(temp.File("results"))),
                new LoggerConfiguration().CreateLogger(), new ComparisonCharts())
            .Run(GridExpander.LoadFile(temp.File("grid.yaml")), new GridOptions(temp.File("results")));

        var markdown = File.ReadAllText(Path.Combine(outcome.Folder, "comparison.md"));
        Assert.Contains("| group | trials | val_mae | against the top group | test_mae | CPU s / epoch |", markdown);
        Assert.DoesNotContain("accuracy", markdown);
        var csv = File.ReadAllLines(Path.Combine(outcome.Folder, "comparison.csv"));
        Assert.Equal("trial,group,status,engine,optimizer,learning_rate,units,seed,parameters,epochs,best_epoch,monitor,best,test_metric,test,test_loss,cpu_seconds_per_epoch,seconds_per_epoch,others_cpu,folder", csv[0]);
        Assert.All(csv.Skip(1), line => Assert.Contains(",test_mae,", line));
        Assert.Equal(["3", "5"], csv.Skip(1).Select(l => l.Split(',')[6]).Order());
        Assert.Contains(">test_mae</th>", File.ReadAllText(Path.Combine(outcome.Folder, "report.html")));
        foreach (var chart in new[] { "compare-test-mae", "compare-mae-vs-speed" })
            Assert.True(File.Exists(Path.Combine(outcome.Folder, "charts", chart + ".png")), chart);
    }

    [Fact]
    public void A_grid_s_variants_show_the_values_they_set_not_their_names()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("base.yaml"), Support.Specs.BasicRnn.Replace("epochs: 3", "epochs: 1"));
        File.WriteAllText(temp.File("grid.yaml"), """
            name: g
            base: base.yaml
            variants:
              - {name: small, set: {training.batch_size: 16, "model[1].dropout": 0.1}}
              - {name: large, set: {training.batch_size: 64}}
            """);

        var outcome = new GridRunner(new InProcessTrials(TestRuns.New, new RunOptions(temp.File("results"))),
                new LoggerConfiguration().CreateLogger())
            .Run(GridExpander.LoadFile(temp.File("grid.yaml")), new GridOptions(temp.File("results")));

        var csv = File.ReadAllLines(Path.Combine(outcome.Folder, "comparison.csv")).Select(l => l.Split(',')).ToList();
        var batch = Array.IndexOf(csv[0], "batch_size");
        var dropout = Array.IndexOf(csv[0], "dropout");
        Assert.True(batch > 0 && dropout > 0, string.Join(",", csv[0]));
        Assert.Equal([("large", "64", "0"), ("small", "16", "0.1")],
            csv.Skip(1).Select(r => (r[0], r[batch], r[dropout])).OrderBy(r => r.Item1));
    }

    [Fact]
    public void Seed_groups_are_aggregated_as_mean_and_sample_standard_deviation_and_sorted_best_first()
    {
        var runs = new[] { TestComparisons.Run("a", 0.80, 0.70), TestComparisons.Run("a", 0.90, 0.80), TestComparisons.Run("b", 0.95, 0.90) };

        var comparison = Comparison.Of(runs, "/results/cmp");

        var a = comparison.Groups.Single(g => g.Group == "a");
        Assert.Equal(0.85, a.BestMean!.Value, 10);
        Assert.Equal(Math.Sqrt(0.005), a.BestStd!.Value, 10); // (0.05² + 0.05²) / (2 − 1)
        Assert.Null(comparison.Groups.Single(g => g.Group == "b").BestStd);
        Assert.Equal(["b", "a"], comparison.Groups.Select(g => g.Group)); // val_accuracy: higher first
        Assert.Equal([0.95, 0.90, 0.80], comparison.Rows.Select(r => r.Best!.Value));
    }
}

[Collection(TorchCollection.Name)]
public class CompareCommandTests
{
    [Fact]
    public void Runs_of_one_name_are_averaged_only_when_their_specs_differ_in_nothing_but_the_seed()
    {
        using var temp = new TempDirectory();
        var spec = CliHarness.Example("basics", "basic-rnn.yaml");
        foreach (var (seed, engine) in new[] { ("1", "torch"), ("2", "torch"), ("1", "scratch") })
            Assert.Equal(0, CliHarness.Run("run", spec, "--set", $"seed={seed}", "--set", $"engine={engine}", "--set", "training.epochs=1",
                "--results", temp.File("results"), "-q").Exit);

        var (exit, _, stderr) = CliHarness.Run("compare", temp.File("results/basic-rnn"), "-o", temp.File("cmp"));

        Assert.True(exit == 0, stderr);
        var md = File.ReadAllText(temp.File("cmp/comparison.md"));
        Assert.Matches(@"\| basic-rnn \(engine: torch\) \| 2 \| \d\.\d{4} ± \d\.\d{4} \(95 % CI, n = 2\) \|", md);
        Assert.Matches(@"\| basic-rnn \(engine: scratch\) \| 1 \| \d\.\d{4} \| (top|one seed on one side: cannot tell — add `seeds: \[1, 2, 3\]`) \|", md);
        Assert.DoesNotContain("| basic-rnn | 3 |", md);
    }

    [Fact]
    public void Comparing_a_regression_run_with_a_classification_run_names_each_run_s_own_metrics()
    {
        using var temp = new TempDirectory();
        Assert.Equal(0, CliHarness.Run("run", CliHarness.Example("basics", "basic-rnn.yaml"), "--set", "training.epochs=1",
            "--set", "training.early_stopping={monitor: val_accuracy}", "--results", temp.File("results"), "-q").Exit);
        Assert.Equal(0, CliHarness.Run("run", CliHarness.Example("basics", "sine-forecast.yaml"), "--set", "training.epochs=1",
            "--set", "training.early_stopping={monitor: val_mae}", "--results", temp.File("results"), "-q").Exit);

        var (exit, _, stderr) = CliHarness.Run("compare", temp.File("results/basic-rnn"), temp.File("results/sine-forecast"), "-o", temp.File("cmp"));

        Assert.True(exit == 0, stderr);
        var md = File.ReadAllText(temp.File("cmp/comparison.md"));
        Assert.Contains("| best | test |", md); // neither heading claims both runs
        Assert.Matches(@"\| val_mae \d\.\d{4} \| test_mae \d\.\d{4} \|", md);
        Assert.Matches(@"\| val_accuracy \d\.\d{4} \| test_accuracy \d\.\d{4} \|", md);
    }

    [Fact]
    public void Compare_groups_runs_of_one_spec_across_seeds_and_writes_tables_and_charts()
    {
        using var temp = new TempDirectory();
        var spec = CliHarness.Example("basics", "basic-rnn.yaml");
        foreach (var seed in new[] { "1", "2" })
            Assert.Equal(0, CliHarness.Run("run", spec, "--set", $"seed={seed}", "--set", "training.epochs=2", "--set", "training.early_stopping=null",
                "--set", "data.train_samples=400", "--results", temp.File("results"), "-q").Exit);

        var (exit, stdout, stderr) = CliHarness.Run("compare", temp.File("results/basic-rnn"), "-o", temp.File("cmp"));

        Assert.True(exit == 0, stderr);
        Assert.Contains("2 runs compared", stdout);
        var md = File.ReadAllText(temp.File("cmp/comparison.md"));
        Assert.Matches(@"\| basic-rnn \| 2 \| \d\.\d{4} ± \d\.\d{4} \(95 % CI, n = 2\) \| top \|", md);
        Assert.Equal(3, File.ReadAllLines(temp.File("cmp/comparison.csv")).Length);
        Assert.True(File.Exists(temp.File("cmp/charts/compare-val_loss-seed-mean.png")));
        var html = File.ReadAllText(temp.File("cmp/report.html"));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(html, "<svg").Count); // the charts, inlined
        Assert.Matches("<a href=\"../results/basic-rnn/001-[^\"]+/\">basic-rnn/001-", html);
        Assert.DoesNotContain("src=\"http", html); // nothing fetched: it opens from disk
    }

    [Fact]
    public void Compare_refuses_folders_without_runs()
    {
        using var temp = new TempDirectory();

        var (exit, _, stderr) = CliHarness.Run("compare", temp.Path);

        Assert.Equal(2, exit);
        Assert.Contains("holds no run", stderr);
    }
}

[Collection(TorchCollection.Name)]
public class GridShardTests
{
    [Fact]
    public void Shards_partition_the_trials_exactly_once_and_meet_in_one_folder()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("base.yaml"), Support.Specs.BasicRnn.Replace("epochs: 3", "epochs: 1").Replace("train_samples: 600", "train_samples: 200"));
        File.WriteAllText(temp.File("grid.yaml"), "name: g\nbase: base.yaml\naxes:\n  model[1].units: [2, 3, 4]\nseeds: [1, 2]\n");
        var results = temp.File("results");

        var folders = new List<string>();
        foreach (var shard in new[] { "1/4", "2/4", "3/4", "4/4" })
        {
            var (exit, stdout, stderr) = CliHarness.Run("grid", temp.File("grid.yaml"), "--shard", shard, "--results", results, "-q");
            Assert.True(exit == 0, stderr);
            folders.Add(stdout.Trim()["Results: ".Length..]);
        }

        Assert.Single(folders.Distinct());
        var trials = Directory.GetDirectories(Path.Combine(folders[0], "trials")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["u2_seed1", "u2_seed2", "u3_seed1", "u3_seed2", "u4_seed1", "u4_seed2"], trials);
        Assert.All(trials, t => Assert.Single(File.ReadAllLines(Path.Combine(folders[0], "trials", t!, "log.jsonl")),
            l => l.Contains("started"))); // each trial ran once, by one shard
        Assert.Equal(7, File.ReadAllLines(Path.Combine(folders[0], "comparison.csv")).Length); // the last shard saw all six
        Assert.Equal(2, CliHarness.Run("grid", temp.File("grid.yaml"), "--shard", "5/4").Exit);
    }

    [Fact]
    public void Array_tasks_with_no_report_leave_the_comparison_to_one_compare_of_the_grid_folder_which_writes_into_it()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("base.yaml"), Support.Specs.BasicRnn.Replace("epochs: 3", "epochs: 1").Replace("train_samples: 600", "train_samples: 200"));
        File.WriteAllText(temp.File("grid.yaml"), "name: g\nbase: base.yaml\nseeds: [1, 2]\n");
        var results = temp.File("results");

        foreach (var shard in new[] { "1/2", "2/2" })
            Assert.Equal(0, CliHarness.Run("grid", temp.File("grid.yaml"), "--shard", shard, "--no-report", "--results", results, "-q").Exit);
        var folder = Directory.GetDirectories(Path.Combine(results, "g")).Single(d => d.Contains("shared-"));
        var noReport = !File.Exists(Path.Combine(folder, "comparison.csv")) && !File.Exists(Path.Combine(folder, "report.html"));
        var (exit, stdout, stderr) = CliHarness.Run("compare", folder, "--results", results);

        Assert.True(noReport, "a task with --no-report wrote the comparison");
        Assert.True(exit == 0, stderr);
        Assert.Contains($"Results: {folder} (2 runs compared)", stdout);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(folder, "comparison.csv")).Length);
        Assert.Contains("Grid g", File.ReadAllText(Path.Combine(folder, "report.html")));
        Assert.False(Directory.Exists(Path.Combine(results, "compare")));
    }
}

public class GridJobsTests
{
    [Trait(TestLevel.Key, TestLevel.Process)]
    [Fact]
    public void Jobs_run_trials_side_by_side_in_child_processes_with_the_same_specs_as_one_at_a_time()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("base.yaml"), Support.Specs.BasicRnn.Replace("epochs: 3", "epochs: 2").Replace("train_samples: 600", "train_samples: 300"));
        File.WriteAllText(temp.File("grid.yaml"), "name: g\nbase: base.yaml\naxes:\n  model[1]: [{type: lstm, units: 4}, {type: gru, units: 4}]\nseeds: [1, 2]\n");

        var parallel = CliProcess.Run("grid", temp.File("grid.yaml"), "--jobs", "2", "--results", temp.File("a"), "-q");
        var serial = CliProcess.Run("grid", temp.File("grid.yaml"), "--results", temp.File("b"), "-q");

        Assert.True(parallel.Exit == 0, parallel.Err);
        Assert.True(serial.Exit == 0, serial.Err);
        string Folder((int Exit, string Out, string Err) r) => r.Out.Trim()["Results: ".Length..];
        var trials = Directory.GetDirectories(Path.Combine(Folder(parallel), "trials")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["gru4_seed1", "gru4_seed2", "lstm4_seed1", "lstm4_seed2"], trials);
        foreach (var trial in trials)
        {
            var a = Path.Combine(Folder(parallel), "trials", trial!);
            var b = Path.Combine(Folder(serial), "trials", trial!);
            Assert.Equal(RnnRunner.Core.Results.RunStatus.Completed, RunSummary.Read(Path.Combine(a, "summary.json")).Status);
            // The child process ran exactly the trial's spec.
            Assert.Equal(File.ReadAllText(Path.Combine(b, "spec.resolved.yaml")), File.ReadAllText(Path.Combine(a, "spec.resolved.yaml")));
        }
        Assert.Equal(5, File.ReadAllLines(Path.Combine(Folder(parallel), "comparison.csv")).Length);
        Assert.Equal(2, CliHarness.Run("grid", temp.File("grid.yaml"), "--jobs", "0").Exit);
    }
}
