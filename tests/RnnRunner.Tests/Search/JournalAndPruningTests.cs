using RnnRunner.Core.Search;
using RnnRunner.Core.Search.Pruners;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Search;

/// <summary>The journal's replay and its survival of a torn write; ASHA's rungs and promotion rule; the median rule.</summary>
public class JournalAndPruningTests
{
    private static readonly Objective Loss = new("val_loss", Maximize: false);

    /// <summary>A trial that reported <paramref name="values"/> for epochs 1, 2, … and stands in <paramref name="state"/>.</summary>
    private static StudyTrial Trial(int number, TrialState state, params double[] values)
    {
        var records = new List<JournalRecord>
        {
            new() { Event = JournalEvent.Sampled, Trial = number, Sample = number, Point = [number] },
            new() { Event = JournalEvent.Started, Trial = number, Epoch = values.Length },
        };
        records.AddRange(values.Select((v, i) => new JournalRecord { Event = JournalEvent.Reported, Trial = number, Epoch = i + 1, Value = v }));
        if (state != TrialState.Running)
            records.Add(new JournalRecord { Event = Enum.Parse<JournalEvent>(state.ToString()), Trial = number, Epoch = values.Length });
        return StudyState.Replay(records).Trials.Single();
    }

    [Fact]
    public void Replaying_the_journal_gives_each_trial_its_state_reports_and_the_samples_drawn()
    {
        using var temp = new TempDirectory();
        var journal = new StudyJournal(temp.Path);
        journal.Append(
            new JournalRecord { Event = JournalEvent.Refused, Sample = 0, Point = [-1], Message = "units: -1 is out of range" },
            new JournalRecord { Event = JournalEvent.Sampled, Trial = 1, Sample = 1, Point = [0.5] },
            new JournalRecord { Event = JournalEvent.Started, Trial = 1, Epoch = 3 },
            new JournalRecord { Event = JournalEvent.Reported, Trial = 1, Epoch = 1, Value = 0.9 },
            new JournalRecord { Event = JournalEvent.Reported, Trial = 1, Epoch = 2, Value = 0.7 },
            new JournalRecord { Event = JournalEvent.Paused, Trial = 1, Epoch = 2 });

        var state = StudyState.Replay(journal.Read());

        Assert.Equal((2, 1), (state.Samples, state.Refused));
        var trial = Assert.Single(state.Trials);
        Assert.Equal((TrialState.Paused, 2, 3), (trial.State, trial.Epochs, trial.Target));
        Assert.Equal(0.7, trial.Best(Loss));
    }

    [Fact]
    public void A_line_torn_by_a_kill_mid_write_is_ignored_and_cut_off_by_the_next_append()
    {
        using var temp = new TempDirectory();
        var journal = new StudyJournal(temp.Path);
        journal.Append(new JournalRecord { Event = JournalEvent.Sampled, Trial = 1, Sample = 0, Point = [0.5] });
        File.AppendAllText(journal.Path, "{\"event\":\"started\",\"tri"); // the process died here

        var beforeAppend = journal.Read();
        journal.Append(new JournalRecord { Event = JournalEvent.Started, Trial = 1, Epoch = 1 });

        Assert.Single(beforeAppend);
        Assert.Equal([JournalEvent.Sampled, JournalEvent.Started], journal.Read().Select(r => r.Event));
        Assert.All(File.ReadAllLines(journal.Path), line => Assert.StartsWith("{\"event\":", line));
    }

    [Theory]
    [InlineData(1, 3, 27, new[] { 1, 3, 9, 27 })]
    [InlineData(2, 2, 10, new[] { 2, 4, 8, 10 })]
    [InlineData(1, 4, 20, new[] { 1, 4, 16, 20 })]
    public void Rungs_lie_at_min_epochs_times_powers_of_eta_and_the_last_is_every_epoch(int min, int eta, int max, int[] rungs) =>
        Assert.Equal(rungs, new AshaRungs(min, eta, max).Epochs);

    [Fact]
    public void Asha_promotes_the_best_paused_trial_in_the_top_third_of_its_rung_and_never_one_promoted_already()
    {
        var rungs = new AshaRungs(1, 3, 9);
        // Six trials at rung 0 (epoch 1): the top third are trials 2 (0.2) and 5 (0.3); 2 went on already (it has 3 epochs).
        var trials = new[]
        {
            Trial(1, TrialState.Paused, 0.9), Trial(2, TrialState.Paused, 0.2, 0.15, 0.1), Trial(3, TrialState.Paused, 0.5),
            Trial(4, TrialState.Paused, 0.8), Trial(5, TrialState.Paused, 0.3), Trial(6, TrialState.Paused, 0.6),
        };

        var promotion = rungs.Promotion(trials, Loss);

        Assert.Equal((5, 3), (promotion!.Value.Trial.Number, promotion.Value.Target));
        Assert.Null(rungs.Promotion(trials.Take(2).ToList(), Loss)); // two at a rung: its top third is empty
        Assert.Null(rungs.Promotion(trials.Select(t => t.Number == 5 ? Trial(5, TrialState.Running, 0.3) : t).ToList(), Loss));
    }

    [Fact]
    public void Asha_looks_at_the_highest_rung_first()
    {
        var rungs = new AshaRungs(1, 3, 27);
        var trials = Enumerable.Range(1, 9).Select(n => Trial(n, TrialState.Paused, n <= 3 ? [0.1 * n, 0.05 * n, 0.01 * n] : [0.1 * n])).ToList();

        var promotion = rungs.Promotion(trials, Loss);

        Assert.Equal((1, 9), (promotion!.Value.Trial.Number, promotion.Value.Target)); // from rung 1 (3 epochs) to rung 2, before rung 0's candidates
    }

    [Fact]
    public void The_median_rule_stops_a_trial_worse_than_the_others_median_at_the_same_epoch_once_enough_got_there()
    {
        var rule = new MedianRule(WarmupEpochs: 1, MinTrials: 3);
        var others = new[] { Trial(1, TrialState.Completed, 0.5, 0.4), Trial(2, TrialState.Completed, 0.6, 0.5), Trial(3, TrialState.Completed, 0.7, 0.6) };
        var bad = Trial(4, TrialState.Running, 0.9, 0.8);
        var good = Trial(5, TrialState.Running, 0.9, 0.45);

        Assert.Contains("worse than the median 0.5 of 3 other trials", rule.ShouldPrune(bad, 2, [.. others, bad], Loss));
        Assert.Null(rule.ShouldPrune(good, 2, [.. others, good], Loss));
        Assert.Null(rule.ShouldPrune(bad, 1, [.. others, bad], Loss)); // within the warm-up
        Assert.Null(rule.ShouldPrune(bad, 2, [others[0], others[1], bad], Loss)); // only two others got there
    }

    [Fact]
    public void The_threshold_rule_stops_a_trial_whose_value_leaves_the_bounds_or_is_not_a_number_after_the_warm_up()
    {
        var rule = new ThresholdRule(Lower: null, Upper: 2.0, WarmupEpochs: 1);
        var diverged = Trial(1, TrialState.Running, 5.0, 3.0);
        var fine = Trial(2, TrialState.Running, 5.0, 1.5);
        var nan = Trial(3, TrialState.Running, 1.0, double.NaN);

        Assert.Null(rule.PruneAfter(diverged, 1, () => [], Loss)); // within the warm-up
        Assert.Equal("pruned after epoch 2: val_loss 3 is above the upper threshold 2", rule.PruneAfter(diverged, 2, () => [], Loss));
        Assert.Null(rule.PruneAfter(fine, 2, () => [], Loss));
        Assert.Equal("pruned after epoch 2: val_loss NaN is not a number", rule.PruneAfter(nan, 2, () => [], Loss));
        Assert.Equal("pruned after epoch 2: val_loss 1.5 is below the lower threshold 2", new ThresholdRule(2.0, null, 0).PruneAfter(fine, 2, () => [], Loss));
    }

    [Fact]
    public void Every_pruner_kind_a_study_can_name_has_a_registered_pruner_and_none_means_no_pruning()
    {
        var named = SpecSchema.UnionOf(typeof(PrunerSpec)).Variants.Select(v => v.Value);
        Assert.Equal(named.OrderBy(t => t.Name), Pruners.Specs.OrderBy(t => t.Name));
        Assert.Equal(new AshaRungs(2, 3, 9), Pruners.Create(new AshaPrunerSpec { MinEpochs = 2, ReductionFactor = 3 }, maxEpochs: 9));
        Assert.Equal(new MedianRule(1, 4), Pruners.Create(new MedianPrunerSpec { WarmupEpochs = 1, MinTrials = 4 }, maxEpochs: 9));
        Assert.Equal(new ThresholdRule(null, 10, 2), Pruners.Create(new ThresholdPrunerSpec { Upper = 10, WarmupEpochs = 2 }, maxEpochs: 9));
        Assert.Null(Pruners.Create(null, maxEpochs: 9).FirstStop);
    }

    [Fact]
    public void A_pruner_spec_nobody_registered_is_an_error_not_another_pruner()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Pruners.Create(new UnregisteredPrunerSpec(), maxEpochs: 9));

        Assert.Contains("no IPruner is registered for UnregisteredPrunerSpec", error.Message);
    }

    private sealed record UnregisteredPrunerSpec : PrunerSpec;
}
