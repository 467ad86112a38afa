using RnnRunner.Core.Comparisons;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Comparisons;

public class ComparisonTableTests
{
    private static ComparedRun Run(string name, double best, params (string, string)[] changes) =>
        TestComparisons.Run("m", best, best - 0.05, settings: TestComparisons.Spec(1, changes), name: name);

    [Fact]
    public void Each_setting_that_differs_between_runs_gets_one_snake_case_column_holding_its_value()
    {
        var runs = new[] { Run("a", 0.8, ("training.batch_size", "8")), Run("b", 0.9, ("training.batch_size", "64")) };

        var comparison = Comparison.Of(runs, "/results/cmp");

        Assert.Equal([new SettingColumn("batch_size", "training.batch_size")], comparison.Varied);
        Assert.Equal(["64", "8"], comparison.Rows.Select(r => r.Varied[0]));
        var csv = ComparisonColumns.Csv(comparison).Select(c => c.Name).ToList();
        Assert.Equal(["trial", "group", "status", "engine", "optimizer", "learning_rate", "units", "seed", "batch_size"], csv.Take(9));
    }

    [Fact]
    public void Engine_optimizer_learning_rate_and_units_are_always_columns_never_repeated_as_varied_settings()
    {
        var runs = new[]
        {
            Run("a", 0.8, ("engine", "torch"), ("training.optimizer.learning_rate", "0.01"), ("model[0].units", "64")),
            Run("b", 0.9),
        };

        var comparison = Comparison.Of(runs, "/results/cmp");

        Assert.Empty(comparison.Varied);
        var a = comparison.Rows.Single(r => r.Trial == "a");
        Assert.Equal(("adam", "0.01", "64"), (a.Optimizer, a.LearningRate, a.Units));
    }

    [Fact]
    public void Two_varied_settings_with_one_leaf_name_are_told_apart_by_the_shortest_distinct_tail_of_their_paths()
    {
        var runs = new[]
        {
            Run("a", 0.8, ("model[0].dropout", "0.2"), ("model[2].type", "bidirectional"), ("model[2].layer.type", "gru"), ("model[2].layer.dropout", "0.1")),
            Run("b", 0.9, ("model[0].dropout", "0.5"), ("model[2].type", "bidirectional"), ("model[2].layer.type", "gru"), ("model[2].layer.dropout", "0.3")),
        };

        var names = Comparison.Of(runs, "/results/cmp").Varied.Select(c => c.Name);

        Assert.Equal(["model_0_dropout", "layer_dropout"], names);
    }

    [Fact]
    public void Runs_of_one_name_with_different_specs_are_separate_groups_labelled_by_what_sets_them_apart()
    {
        var runs = new[]
        {
            TestComparisons.Run("m", 0.8, 0.7, seed: 1, settings: TestComparisons.Spec(1)),
            TestComparisons.Run("m", 0.9, 0.8, seed: 2, settings: TestComparisons.Spec(2)),
            TestComparisons.Run("m", 0.7, 0.6, seed: 1, settings: TestComparisons.Spec(1, ("training.optimizer.type", "sgd"))),
        };

        var groups = Comparison.Of(SeedGroups.Assign(runs), "/results/cmp").Groups;

        Assert.Equal([("m (training.optimizer.type: adam)", 2), ("m (training.optimizer.type: sgd)", 1)], groups.Select(g => (g.Group, g.Trials)));
    }

    [Fact]
    public void Runs_differing_only_in_seed_form_one_group_with_one_colour()
    {
        var runs = new[] { TestComparisons.Run("m", 0.8, 0.7, seed: 1, settings: TestComparisons.Spec(1)),
            TestComparisons.Run("m", 0.9, 0.8, seed: 2, settings: TestComparisons.Spec(2)), TestComparisons.Run("other", 0.95, 0.9) };

        var comparison = Comparison.Of(SeedGroups.Assign(runs), "/results/cmp");

        Assert.Equal(2, comparison.Groups.Single(g => g.Group == "m").Trials);
        Assert.Single(comparison.Rows.Where(r => r.Group == "m").Select(r => r.Colour).Distinct());
        Assert.NotEqual(comparison.ColourOf("m"), comparison.ColourOf("other"));
    }

    [Fact]
    public void A_lower_is_better_monitor_sorts_smallest_first()
    {
        var runs = new[] { TestComparisons.Run("a", 0.3, 0.3, "val_mae"), TestComparisons.Run("b", 0.1, 0.1, "val_mae"), TestComparisons.Run("c", 0.2, 0.2, "val_mae") };

        var comparison = Comparison.Of(runs, "/results/cmp");

        Assert.Equal(["b", "c", "a"], comparison.Groups.Select(g => g.Group));
        Assert.Equal("test_mae", comparison.TestHeading);
    }

    [Fact]
    public void The_report_shows_the_seed_group_table_only_when_a_group_has_several_seeds()
    {
        using var temp = new TempDirectory();
        var single = new[] { TestComparisons.Run("a", 0.8, 0.7), TestComparisons.Run("b", 0.9, 0.8) };
        var seeded = new[] { TestComparisons.Run("m", 0.8, 0.7, seed: 1, settings: TestComparisons.Spec(1)),
            TestComparisons.Run("m", 0.9, 0.8, seed: 2, settings: TestComparisons.Spec(2)) };
        Directory.CreateDirectory(temp.File("single"));
        Directory.CreateDirectory(temp.File("seeded"));

        HtmlReport.Write(temp.File("single"), new ReportHeader("t", "d"), Comparison.Of(SeedGroups.Assign(single), temp.File("single")), []);
        HtmlReport.Write(temp.File("seeded"), new ReportHeader("t", "d"), Comparison.Of(SeedGroups.Assign(seeded), temp.File("seeded")), []);

        Assert.DoesNotContain("Seed groups", File.ReadAllText(Path.Combine(temp.File("single"), "report.html")));
        Assert.Contains("Seed groups", File.ReadAllText(Path.Combine(temp.File("seeded"), "report.html")));
    }

    private static ComparedRun Seeded(string group, int seed, double best, double test, double cpuSeconds) =>
        TestComparisons.Run(group, best, test, seed: seed, name: $"{group}_s{seed}") is var run
            ? run with { Summary = run.Summary with { CpuSecondsPerEpoch = cpuSeconds } } : null!;

    [Fact]
    public void Groups_rank_by_the_validation_metric_ties_go_by_name_and_each_gets_its_verdict_against_the_top()
    {
        // GRU and LSTM tie at 1.0 on validation ("gru" sorts first by name, though the LSTM is faster); the LSTM is worse
        // on test — the ranking still follows validation.
        var runs = new[]
        {
            Seeded("lstm", 1, 1.0, 0.995, 2.0), Seeded("lstm", 2, 1.0, 1.0, 2.0),
            Seeded("gru", 1, 1.0, 0.998, 3.0), Seeded("gru", 2, 1.0, 0.998, 3.0),
            Seeded("rnn", 1, 0.70, 0.69, 1.0), Seeded("rnn", 2, 0.72, 0.70, 1.0),
            Seeded("dense", 1, 0.99, 0.97, 0.5),
        };

        var comparison = Comparison.Of(runs, "/results/cmp");

        Assert.Equal(["gru", "lstm", "dense", "rnn"], comparison.Groups.Select(g => g.Group));
        // gru (s = 0) against rnn (0.70, 0.72): t = 0.29 / 0.01 = 29 on 1 degree of freedom (Cauchy): p = 1 − 2·atan(29)/π = 0.022.
        Assert.Equal(["top", "within seed noise (p = 1): add seeds", "one seed on one side: cannot tell — add `seeds: [1, 2, 3]`", "top is better (p = 0.022)"],
            comparison.Groups.Select(g => g.Verdict));
        Assert.Equal([0, 1, 2, 3], comparison.Groups.Select(g => g.Colour)); // the charts' order is the tables'
        Assert.Contains("ties go by name", ComparisonColumns.HowToRead(comparison));
    }
}
