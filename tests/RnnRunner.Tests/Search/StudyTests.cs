using RnnRunner.Core.Results;
using RnnRunner.Core.Search;
using RnnRunner.Core.Specs;
using Serilog;

namespace RnnRunner.Tests.Search;

/// <summary>Studies end to end with scripted trials: ASHA's continuation, the budget, refusals, resume and shared workers.</summary>
public class StudyTests
{
    /// <summary>Twelve random trials over the learning rate, minimising val_loss; a pruner line may follow.</summary>
    private const string LearningRateSearch = """
          sampler: random
          trials: 12
          seed: 3
          objective: val_loss
          parameters:
            training.optimizer.learning_rate: {type: log_uniform, low: 0.0001, high: 1}

        """;

    private const string Asha = LearningRateSearch + "  pruner: {type: asha, min_epochs: 1, reduction_factor: 3}\n";

    private static StudyOutcome Run(ScriptedStudy study, IStudyTrialExecutor trials, CancellationToken cancellation = default) =>
        new StudyRunner(trials, Log.Logger).Run(study.Load(), new StudyOptions(study.Results) { Poll = TimeSpan.FromMilliseconds(20) }, cancellation);

    [Fact]
    public void Asha_trains_every_epoch_once_promoted_trials_continue_and_the_unpromoted_end_pruned_at_their_rung()
    {
        using var study = new ScriptedStudy(Asha);
        var trials = new ScriptedTrials();

        var outcome = Run(study, trials);

        var state = outcome.State;
        Assert.Equal(12, state.Trials.Count);
        // No epoch trained twice: every trial's epochs trained equal the epochs it reached, and it started fresh once.
        foreach (var trial in state.Trials)
        {
            var folder = StudyRunner.TrialFolder(outcome.Folder, trial);
            Assert.Equal(trial.Epochs, trials.EpochsTrained[folder]);
            Assert.Equal(1, trials.FreshStarts[folder]);
        }
        // Rungs at 1, 3, 9 epochs: 12 reach rung 0, the top third (4) rung 1, the top third of those (1) the end.
        Assert.Equal([12, 4, 1], new[] { 1, 3, 9 }.Select(r => state.Trials.Count(t => t.Epochs >= r)));
        Assert.Equal(11, state.Trials.Count(t => t.State == TrialState.Pruned));
        var completed = Assert.Single(state.Trials, t => t.State == TrialState.Completed);
        var pruned = RunSummary.Read(RunFolder.At(StudyRunner.TrialFolder(outcome.Folder, state.Trials.First(t => t.State == TrialState.Pruned && t.Epochs == 3))).Summary);
        Assert.Equal(RunStatus.Pruned, pruned.Status);
        Assert.Contains("pruned at rung 1 (epoch 3): not in the top 1/3 of its rung", pruned.Message);
        Assert.True(File.Exists(Path.Combine(outcome.Folder, "report.html")));
        Assert.Equal(13, File.ReadAllLines(Path.Combine(outcome.Folder, StudyReport.TrialsFile)).Length);
    }

    [Fact]
    public void A_study_report_says_which_setting_mattered_once_enough_trials_completed()
    {
        using var study = new ScriptedStudy(LearningRateSearch.Replace("trials: 12", "trials: 8"));

        var outcome = Run(study, new ScriptedTrials());

        var html = File.ReadAllText(Path.Combine(outcome.Folder, "report.html"));
        Assert.Contains("<h2>Which setting mattered</h2>", html);
        Assert.Contains("over the 8 completed trials", html);
        Assert.Matches(@"<td class=""text"">training\.optimizer\.learning_rate</td><td class=""text"">100 %</td>", html);
    }

    [Fact]
    public void Under_a_pruner_importance_compares_trials_at_one_budget_never_a_one_epoch_score_beside_a_finished_one()
    {
        using var study = new ScriptedStudy(Asha);

        var outcome = Run(study, new ScriptedTrials());

        // 12 trials under ASHA (rungs at 1, 3, 9 epochs, the top third promoted): only the first rung holds 8 or more.
        var html = File.ReadAllText(Path.Combine(outcome.Folder, "report.html"));
        Assert.Contains("over the 12 trials that trained at least 1 epoch (too few completed), each scored by its best val_loss within 1 epoch", html);
    }

    [Fact]
    public void A_study_writes_its_best_trial_s_spec_ready_to_run_again()
    {
        using var study = new ScriptedStudy(Asha);

        var outcome = Run(study, new ScriptedTrials());

        var best = outcome.State.Best(study.Load().Objective)!;
        var file = Path.Combine(outcome.Folder, StudyReport.BestSpecFile);
        var text = File.ReadAllText(file);
        Assert.StartsWith($"# The best trial of study scripted: {best.Name}, val_loss ", text);
        var loaded = Core.Loading.SpecLoader.LoadFile(file);
        Assert.Equal("scripted-best", loaded.Spec.Name);
        Assert.Equal(best.Settings["training.optimizer.learning_rate"],
            loaded.Spec.Training.Optimizer.LearningRate.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(9, loaded.Spec.Training.Epochs); // all the epochs the best trial trained, not a rung's
    }

    /// <summary>Val_loss against model size: a bigger recurrent layer scores better (<see cref="ScriptedTrials.SizeMatters"/>), so the two pull apart.</summary>
    private const string SizeSearch = """
          trials: 14
          seed: 5
          sampler: {type: nsga2, population_size: 6}
          objectives: [{metric: val_loss}, {metric: parameters, direction: minimize}]
          parameters:
            training.optimizer.learning_rate: {type: log_uniform, low: 0.001, high: 0.1}
            model[1].units: {type: int, low: 2, high: 16}

        """;

    [Fact]
    public void A_study_with_two_objectives_finds_the_trials_no_other_beats_on_both_and_reports_them()
    {
        using var study = new ScriptedStudy(SizeSearch);

        var outcome = Run(study, new ScriptedTrials { SizeMatters = true });

        var objectives = study.Load().Objectives;
        var scored = outcome.State.Trials.Select(t => (Trial: t, Values: t.ObjectiveValues(objectives)!)).ToList();
        Assert.Equal(14, scored.Count);
        Assert.All(scored, s => Assert.Equal(2, s.Values.Count));
        // By brute force: a trial is on the front when no other is at least as good on both and better on one.
        var expected = scored.Where(a => !scored.Any(b => b.Values[0] <= a.Values[0] && b.Values[1] <= a.Values[1]
            && (b.Values[0] < a.Values[0] || b.Values[1] < a.Values[1]))).Select(a => a.Trial.Name).Order();
        var front = outcome.State.ParetoFront(objectives);
        Assert.Equal(expected, front.Select(t => t.Name).Order());
        Assert.True(front.Count >= 2, "a trade-off has more than one best trial");
        Assert.Equal(front.OrderBy(t => t.ObjectiveValues(objectives)![0]).Select(t => t.Name), front.Select(t => t.Name));
        var report = File.ReadAllText(Path.Combine(outcome.Folder, "comparison.md"));
        Assert.Contains("# Pareto front", report);
        Assert.All(front, t => Assert.Contains($"| {t.Name} |", report));
        Assert.StartsWith("trial,state,val_loss,parameters,epochs,", File.ReadAllText(Path.Combine(outcome.Folder, StudyReport.TrialsFile)));
    }

    [Theory]
    [InlineData("  objectives: [{metric: parameters}, {metric: val_loss}]\n", "search.objectives[0].metric", "put parameters second")]
    [InlineData("  objectives: [{metric: val_loss}, {metric: val_mae}]\n", "search.objectives[1].metric", "'val_mae' is neither logged")]
    [InlineData("  objectives: [{metric: val_loss}, {metric: val_loss}]\n", "search.objectives[1].metric", "already an objective")]
    [InlineData("  objective: val_loss\n  objectives: [{metric: val_loss}, {metric: parameters}]\n", "search.objectives", "not both")]
    [InlineData("  objectives: [{metric: val_loss}, {metric: parameters}]\n  sampler: tpe\n", "search.sampler", "tpe learns one objective")]
    [InlineData("  objectives: [{metric: val_loss}, {metric: parameters}]\n  pruner: asha\n", "search.pruner", "runs every trial to the end")]
    public void A_multi_objective_study_file_that_cannot_work_is_one_located_error(string objectives, string path, string message)
    {
        using var study = new ScriptedStudy(objectives + "  parameters:\n    model[1].units: {type: int, low: 4, high: 8}\n");

        var error = Assert.Throws<SpecException>(() => study.Load());

        var located = Assert.Single(error.Errors);
        Assert.Equal(path, located.Path);
        Assert.Contains(message, located.Message);
        Assert.True(located.Mark.Line > 0);
    }

    [Fact]
    public void Several_objectives_choose_nsga2_unless_the_study_names_a_sampler_and_keep_one_objective_studies_as_they_were()
    {
        using var multi = new ScriptedStudy("  objectives: [{metric: val_loss}, {metric: parameters}]\n  parameters:\n    model[1].units: {type: int, low: 4, high: 8}\n");
        using var single = new ScriptedStudy(LearningRateSearch.Replace("sampler: random", "sampler: tpe"));
        using var implicitTpe = new ScriptedStudy(LearningRateSearch.Replace("  sampler: random\n", ""));

        Assert.IsType<Nsga2SamplerSpec>(multi.Load().SamplerSpec);
        Assert.Equal([false, false], multi.Load().Objectives.Select(o => o.Maximize)); // parameters: fewer is better
        Assert.Equal(single.Load().Identity, implicitTpe.Load().Identity);
    }

    [Fact]
    public void The_median_rule_stops_trials_worse_than_the_others_after_the_warm_up_and_says_why()
    {
        using var study = new ScriptedStudy("""
              sampler: random
              trials: 12
              seed: 4
              objective: val_loss
              parameters:
                training.optimizer.learning_rate: {type: log_uniform, low: 0.0001, high: 1}
              pruner: {type: median, warmup_epochs: 2, min_trials: 3}
            """);

        var outcome = Run(study, new ScriptedTrials());

        var pruned = outcome.State.Trials.Where(t => t.State == TrialState.Pruned).ToList();
        Assert.NotEmpty(pruned);
        Assert.All(pruned, t => Assert.InRange(t.Epochs, 3, 8)); // never within the warm-up, never at the end
        Assert.All(pruned, t => Assert.Contains("is worse than the median", t.Message));
        // A pruned trial was worse, at the epoch it stopped, than the median of those that got there before it.
        var best = outcome.State.Best(new Objective("val_loss", false))!;
        Assert.All(pruned, t => Assert.True(t.Best(new Objective("val_loss", false)) > best.BestUpTo(t.Epochs, new Objective("val_loss", false))));
        Assert.Contains("is worse than the median", RunSummary.Read(RunFolder.At(StudyRunner.TrialFolder(outcome.Folder, pruned[0])).Summary).Message);
    }

    [Fact]
    public void A_sample_the_spec_refuses_is_recorded_and_resampled_and_never_run()
    {
        using var study = new ScriptedStudy("""
              sampler: random
              trials: 6
              parameters:
                training.optimizer.learning_rate: {type: uniform, low: -0.5, high: 0.5}
            """, epochs: 2);
        var trials = new ScriptedTrials();

        var outcome = Run(study, trials);

        Assert.Equal(6, outcome.State.Trials.Count);
        Assert.True(outcome.State.Refused > 0, "about half the samples are negative learning rates");
        Assert.All(outcome.State.Trials, t => Assert.True(double.Parse(t.Settings["training.optimizer.learning_rate"], System.Globalization.CultureInfo.InvariantCulture) > 0));
        Assert.Equal(6, trials.FreshStarts.Count);
        var journal = File.ReadAllText(Path.Combine(outcome.Folder, StudyJournal.FileName));
        Assert.Contains("\"event\":\"refused\"", journal);
        Assert.Contains("training.optimizer.learning_rate", journal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(14)]
    public void An_interrupted_study_run_again_finishes_exactly_as_an_unbroken_one(int interruptAfterEpochs)
    {
        const string tpe = """
              sampler: tpe
              trials: 14
              seed: 5
              parameters:
                training.optimizer.learning_rate: {type: log_uniform, low: 0.0001, high: 1}
              pruner: {type: asha, min_epochs: 1, reduction_factor: 3}
            """;
        using var unbroken = new ScriptedStudy(tpe);
        using var broken = new ScriptedStudy(tpe);
        var expected = Run(unbroken, new ScriptedTrials()).State;

        var first = Run(broken, new ScriptedTrials { InterruptAfterEpochs = interruptAfterEpochs });
        var trials = new ScriptedTrials();
        var resumed = Run(broken, trials);

        Assert.True(first.Interrupted);
        Assert.Equal(first.Folder, resumed.Folder);
        Assert.Equal(expected.Trials.Select(t => (t.Name, t.State, t.Epochs, t.Point.Values[0])), resumed.State.Trials.Select(t => (t.Name, t.State, t.Epochs, t.Point.Values[0])));
        Assert.Equal(expected.Best(new Objective("val_loss", false))!.Name, resumed.State.Best(new Objective("val_loss", false))!.Name);
        // The rerun only trained what was left: the interrupted trial on from its checkpoint, nothing from scratch twice.
        Assert.All(trials.FreshStarts.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public void A_trial_whose_worker_died_mid_epoch_resumes_from_its_checkpoint_on_the_next_run()
    {
        using var study = new ScriptedStudy(Asha);
        var crash = new CrashingTrials(crashAtCall: 4);
        Assert.Throws<InvalidOperationException>(() => Run(study, crash));
        var folder = Directory.GetDirectories(Path.Combine(study.Results, "scripted")).Single(d => File.Exists(Path.Combine(d, StudyManifest.FileName)));
        var crashed = Assert.Single(StudyState.Replay(new StudyJournal(folder).Read()).Trials, t => t.State == TrialState.Running);
        var trainedBefore = crash.Inner.EpochsTrained[StudyRunner.TrialFolder(folder, crashed)];

        var trials = new ScriptedTrials();
        var outcome = Run(study, trials);

        Assert.Equal(12, outcome.State.Trials.Count);
        var after = outcome.State.Trials.Single(t => t.Number == crashed.Number);
        Assert.False(trials.FreshStarts.ContainsKey(StudyRunner.TrialFolder(folder, after)), "resumed, not restarted");
        Assert.Equal(after.Epochs, trainedBefore + trials.EpochsTrained[StudyRunner.TrialFolder(folder, after)]);
        Assert.NotEqual(TrialState.Running, after.State);
    }

    [Fact]
    public void A_trial_whose_worker_died_after_its_run_ended_is_recorded_as_ended_and_never_run_again()
    {
        using var study = new ScriptedStudy("""
              sampler: random
              trials: 4
              parameters:
                training.optimizer.learning_rate: {type: log_uniform, low: 0.0001, high: 1}
            """, epochs: 3);
        var crash = new CrashingTrials(crashAtCall: 2, afterTheRun: true);
        Assert.Throws<InvalidOperationException>(() => Run(study, crash));

        var trials = new ScriptedTrials();
        var outcome = Run(study, trials);

        var second = outcome.State.Trials.Single(t => t.Number == 2);
        var folder = StudyRunner.TrialFolder(outcome.Folder, second);
        Assert.Equal(4, outcome.State.Trials.Count);
        Assert.Equal(TrialState.Completed, second.State);
        Assert.Equal(second.Epochs, crash.Inner.EpochsTrained[folder] + trials.EpochsTrained.GetValueOrDefault(folder)); // nothing trained twice
    }

    [Fact]
    public async Task Two_workers_on_one_study_never_run_the_same_trial_and_share_the_budget()
    {
        using var study = new ScriptedStudy(Asha);
        var trials = new ScriptedTrials { EpochTime = TimeSpan.FromMilliseconds(15) };

        var workers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => Run(study, trials))));

        var state = workers[0].State;
        Assert.Equal(workers[0].Folder, workers[1].Folder);
        Assert.Equal(12, state.Trials.Count);
        Assert.All(state.Trials, t => Assert.Equal(t.Epochs, trials.EpochsTrained[StudyRunner.TrialFolder(workers[0].Folder, t)]));
        Assert.All(trials.FreshStarts.Values, n => Assert.Equal(1, n));
        var starts = File.ReadAllLines(Path.Combine(workers[0].Folder, StudyJournal.FileName)).Count(l => l.Contains("\"event\":\"started\""));
        Assert.Equal(12 + 4 + 1, starts); // each trial started once, each promotion once
    }

    [Theory]
    [InlineData("", "a65d841087bd")]
    [InlineData("  pruner: {type: asha, min_epochs: 2, reduction_factor: 3}\n", "9f3a9fe857d1")]
    [InlineData("  pruner: {type: median, warmup_epochs: 2, min_trials: 3}\n", "c5503dc8c67d")]
    public void A_study_keeps_the_identity_it_had_when_begun_so_rerunning_it_continues_rather_than_starting_anew(string pruner, string identity)
    {
        // The identities as the release before pruner records became a union computed them.
        using var study = new ScriptedStudy(LearningRateSearch + pruner);

        Assert.Equal(identity, study.Load().Identity);
    }

    [Theory]
    [InlineData("  parameters:\n    training.optimiser.learning_rate: {type: uniform, low: 0.1, high: 0.2}\n", "search.parameters.training.optimiser.learning_rate")]
    [InlineData("  parameters:\n    training.optimizer.learning_rate: {type: log_uniform, low: 0, high: 0.2}\n", "a log_uniform parameter needs low > 0")]
    [InlineData("  parameters:\n    model[1].units: {type: int, low: 4, high: 9, step: 2}\n", "high (9) is not low (4) plus a whole number of steps (2)")]
    [InlineData("  objective: val_mae\n  parameters:\n    model[1].units: {type: int, low: 4, high: 8}\n", "'val_mae' is not logged by the base spec")]
    [InlineData("  parameters:\n    model[1].type: {type: choice}\n", "a choice needs values")]
    [InlineData("  parameters:\n    model[5].units: {type: int, low: 4, high: 8}\n", "search.parameters.model[5].units")]
    [InlineData("  parameters:\n    model[1].units: {type: int, low: 4, high: 8}\n  pruner: {type: threshold}\n", "threshold names neither lower nor upper")]
    [InlineData("  parameters:\n    model[1].units: {type: int, low: 4, high: 8}\n  pruner: {type: threshold, lower: 2, upper: 1}\n", "lower (2) is above upper (1)")]
    public void A_mistake_in_the_study_file_is_one_located_error(string search, string message)
    {
        using var study = new ScriptedStudy(search);

        var error = Assert.Throws<SpecException>(() => study.Load());

        Assert.Contains(error.Errors, e => (e.ToString()).Contains(message) && e.Mark.Source.EndsWith("study.yaml", StringComparison.Ordinal) && e.Mark.Line > 0);
    }

    /// <summary>
    /// Trials that throw (a worker dying) on the n-th call: mid-epoch, after training the epochs before; or, with
    /// <paramref name="afterTheRun"/>, once the run has ended and written its summary, before the journal hears of it.
    /// </summary>
    private sealed class CrashingTrials(int crashAtCall, bool afterTheRun = false) : IStudyTrialExecutor
    {
        public ScriptedTrials Inner { get; } = new();
        private int _calls;

        public RunSummary Run(Core.Loading.LoadedSpec? spec, string folder, Core.Training.ITrainingObserver gate, CancellationToken cancellation)
        {
            if (++_calls < crashAtCall) return Inner.Run(spec, folder, gate, cancellation);
            Inner.Run(spec, folder, afterTheRun ? gate : new Dying(gate), cancellation);
            throw new InvalidOperationException("the worker died");
        }

        private sealed class Dying(Core.Training.ITrainingObserver gate) : Core.Training.ITrainingObserver
        {
            public void EpochCompleted(Core.Training.EpochMetrics metrics, bool isBest)
            {
                gate.EpochCompleted(metrics, isBest);
                throw new InvalidOperationException("the worker died");
            }
        }
    }
}
