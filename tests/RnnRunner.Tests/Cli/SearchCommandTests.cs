using System.Text.Json;
using RnnRunner.Core.Results;
using RnnRunner.Core.Search;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Cli;

/// <summary><c>rnnrunner search</c> with real (scratch-engine) training: ASHA, the report, <c>runs</c>, and a rerun that has nothing left to do.</summary>
[Trait(TestLevel.Key, TestLevel.Process)]
[Collection(TorchCollection.Name)]
public class SearchCommandTests
{
    private static string Study(TempDirectory temp)
    {
        File.WriteAllText(temp.File("base.yaml"), """
            name: tiny
            engine: scratch
            seed: 1
            data: {dataset: counting_sentiment, vocabulary_size: 30, sequence_length: 10, train_samples: 400, test_samples: 100}
            model: [{type: embedding, input_dim: 30, output_dim: 8}, {type: simple_rnn, units: 8}, {type: dense, units: 1, activation: sigmoid}]
            training: {epochs: 4, batch_size: 32, loss: binary_crossentropy, metrics: [accuracy], validation_split: 0.25, optimizer: {type: adam}}
            """);
        File.WriteAllText(temp.File("study.yaml"), """
            name: tiny-search
            base: base.yaml
            search:
              sampler: random
              trials: 6
              seed: 2
              parameters:
                training.optimizer.learning_rate: {type: log_uniform, low: 0.0003, high: 0.05}
                model[1].type: {type: choice, values: [simple_rnn, gru]}
              pruner: {type: asha, min_epochs: 1, reduction_factor: 2}
            """);
        return temp.File("study.yaml");
    }

    [Fact]
    public void A_study_prunes_at_its_rungs_reports_its_best_trial_lists_its_trials_and_a_rerun_has_nothing_left_to_do()
    {
        using var temp = new TempDirectory();
        var study = Study(temp);

        var (exit, stdout, stderr) = CliHarness.Run("search", study, "--results", temp.File("results"), "--json", "-q");

        Assert.True(exit == 0, stderr);
        var output = JsonDocument.Parse(stdout).RootElement;
        var folder = output.GetProperty("results").GetString()!;
        var trials = output.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(6, trials.Count);
        Assert.Contains(trials, t => t.GetProperty("state").GetString() == "pruned");
        Assert.Contains(trials, t => t.GetProperty("state").GetString() == "completed" && t.GetProperty("epochs").GetInt32() == 4);
        var best = output.GetProperty("best");
        // The objective defaults to val_loss (the base has no early stopping): the best is the completed trial's least.
        Assert.Equal(trials.Where(t => t.GetProperty("state").GetString() == "completed").Min(t => t.GetProperty("value").GetDouble()), best.GetProperty("value").GetDouble());
        var pruned = trials.First(t => t.GetProperty("state").GetString() == "pruned").GetProperty("trial").GetString()!;
        var summary = RunSummary.Read(Path.Combine(folder, "trials", pruned, "summary.json"));
        Assert.Equal(RunStatus.Pruned, summary.Status);
        Assert.Matches(@"pruned at rung \d \(epoch \d\)", summary.Message);
        foreach (var chart in new[] { "study-objective.svg", "study-parameter-1.svg", "study-parallel.svg", "study-rungs.svg" })
            Assert.True(File.Exists(Path.Combine(folder, "charts", chart)), chart);
        Assert.Contains("Best: ", File.ReadAllText(Path.Combine(folder, "report.html")));
        // Each parallel-coordinates axis in its own values: a choice's names, a log-sampled rate's ends and geometric middle.
        var parallel = File.ReadAllText(Path.Combine(folder, "charts", "study-parallel.svg"));
        var texts = System.Text.RegularExpressions.Regex.Matches(parallel, @">\s*([^<>]+?)\s*</text>").Select(m => m.Groups[1].Value).ToHashSet();
        foreach (var value in new[] { "simple_rnn", "gru", "0.0003", "0.00387", "0.05" }) Assert.Contains(value, texts);
        Assert.DoesNotContain("high", texts);

        var (runsExit, runsOut, _) = CliHarness.Run("runs", temp.File("results"), "--json");
        Assert.Equal(0, runsExit);
        Assert.Equal(6, JsonDocument.Parse(runsOut).RootElement.GetProperty("runs").EnumerateArray().Count(r => r.GetProperty("folder").GetString()!.Contains("/trials/t00")));

        var journal = File.ReadAllText(Path.Combine(folder, StudyJournal.FileName));
        var (again, againOut, againErr) = CliHarness.Run("search", study, "--results", temp.File("results"), "--json", "-q");
        Assert.True(again == 0, againErr);
        Assert.Equal(folder, JsonDocument.Parse(againOut).RootElement.GetProperty("results").GetString());
        Assert.Equal(journal, File.ReadAllText(Path.Combine(folder, StudyJournal.FileName))); // nothing sampled or trained again
    }

    [Fact]
    public void A_dry_run_prints_the_space_and_rungs_and_a_broken_study_is_one_located_error_with_nothing_written()
    {
        using var temp = new TempDirectory();
        var study = Study(temp);
        File.WriteAllText(temp.File("broken.yaml"), File.ReadAllText(study).Replace("model[1].type", "model[1].typo"));

        var (exit, stdout, _) = CliHarness.Run("search", study, "--dry-run");
        var (brokenExit, _, brokenErr) = CliHarness.Run("search", temp.File("broken.yaml"), "--results", temp.File("results"));

        Assert.Equal(0, exit);
        Assert.Contains("tiny-search: 6 trials, random sampler (seed 2), minimize val_loss", stdout);
        Assert.Contains("asha rungs at epochs 1, 2, 4", stdout);
        Assert.Equal(2, brokenExit);
        Assert.Matches(@"broken\.yaml:\d+:\d+: search\.parameters\.model\[1\]\.typo: unknown key", brokenErr);
        Assert.False(Directory.Exists(temp.File("results")));
    }

    [Fact]
    public async Task Two_processes_on_one_study_meet_in_one_folder_share_its_budget_and_never_run_the_same_trial()
    {
        using var temp = new TempDirectory();
        var study = Study(temp);

        using var first = CliProcess.Start("search", study, "--results", temp.File("results"), "-q");
        using var second = CliProcess.Start("search", study, "--results", temp.File("results"), "-q");
        var errors = await Task.WhenAll(first.StandardError.ReadToEndAsync(), second.StandardError.ReadToEndAsync());
        await Task.WhenAll(first.WaitForExitAsync(), second.WaitForExitAsync());

        Assert.True(first.ExitCode == 0, errors[0]);
        Assert.True(second.ExitCode == 0, errors[1]);
        var folder = Assert.Single(Directory.GetDirectories(temp.File("results/tiny-search")), d => File.Exists(Path.Combine(d, StudyManifest.FileName)));
        var records = new StudyJournal(folder).Read();
        var state = StudyState.Replay(records);
        Assert.Equal(6, state.Trials.Count);
        Assert.Equal(2, records.Select(r => r.Worker).Distinct().Count()); // both worked on it
        // No epoch of any trial trained twice, and every trial sampled once.
        Assert.DoesNotContain(records.Where(r => r.Event == JournalEvent.Reported).GroupBy(r => (r.Trial, r.Epoch)), g => g.Count() > 1);
        Assert.Equal(6, records.Count(r => r.Event == JournalEvent.Sampled));
    }
}
