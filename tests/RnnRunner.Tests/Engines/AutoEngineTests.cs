using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.EngineSelection;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Plotting;
using RnnRunner.Tests.Support;
using Serilog;

namespace RnnRunner.Tests.Engines;

/// <summary>
/// <c>engine: auto</c>: the engine that trains the spec fastest on this machine, by a calibration measured once per
/// machine and spec shape and cached; the run then is exactly the run pinned to that engine.
/// </summary>
[Collection(TorchCollection.Name)]
public class AutoEngineTests
{
    private static (EngineSelector Selector, StandInEngine Torch, StandInEngine Scratch) Selector(TempDirectory temp, TimeSpan torchDelay, TimeSpan scratchDelay)
    {
        var (torch, scratch) = (StandInEngine.Delayed(EngineKind.Torch, torchDelay), StandInEngine.Delayed(EngineKind.Scratch, scratchDelay));
        var catalog = EngineCatalog.Of(torch, scratch);
        return (new EngineSelector(catalog, new CalibrationCache(temp.File("cache")), new LoggerConfiguration().CreateLogger()), torch, scratch);
    }

    private static Core.Loading.LoadedSpec Auto(params string[] overrides) => Support.Specs.Load(Support.Specs.BasicRnn, ["engine=auto", .. overrides]);

    [Theory]
    [InlineData(20, 0, "scratch")]
    [InlineData(0, 20, "torch")]
    public void Auto_chooses_the_engine_whose_calibration_steps_are_fastest_and_the_run_proceeds_on_it(int torchMs, int scratchMs, string expected)
    {
        using var temp = new TempDirectory();
        var (selector, _, _) = Selector(temp, TimeSpan.FromMilliseconds(torchMs), TimeSpan.FromMilliseconds(scratchMs));

        var (resolved, choice) = selector.Resolve(Auto());

        Assert.Equal(expected, choice!.Chosen);
        Assert.Equal(expected, SpecNames.Of(resolved.Spec.Engine));
        Assert.Equal(["torch", "scratch"], choice.Timings.Select(t => t.Engine));
        var (slow, fast) = (choice.Timings.Single(t => t.Engine != expected), choice.Timings.Single(t => t.Engine == expected));
        Assert.True(slow.TrainMilliseconds >= 20 && fast.TrainMilliseconds < slow.TrainMilliseconds, $"{slow} {fast}");
        Assert.False(choice.FromCache);
        Assert.StartsWith($"fastest: {expected} ", choice.Reason);
    }

    [Fact]
    public void A_calibration_is_measured_once_per_machine_and_shape_and_a_new_shape_is_measured_again()
    {
        using var temp = new TempDirectory();
        var (selector, torch, scratch) = Selector(temp, TimeSpan.FromMilliseconds(5), TimeSpan.Zero);
        var first = selector.Resolve(Auto()).Choice!;
        var builds = (torch.Builds, scratch.Builds);

        // Name, seed, epochs and learning rate do not change an engine's speed: the cache answers, nothing is built.
        var again = selector.Resolve(Auto("name=other", "seed=3", "training.epochs=9", "training.optimizer.learning_rate=0.1")).Choice!;

        Assert.True(again.FromCache);
        Assert.Equal(0, again.CalibrationSeconds);
        Assert.Equal((first.Chosen, first.Key), (again.Chosen, again.Key));
        Assert.Equal(first.Timings, again.Timings);
        Assert.Equal(builds, (torch.Builds, scratch.Builds));

        var wider = selector.Resolve(Auto("model[1].units=32")).Choice!;
        Assert.False(wider.FromCache);
        Assert.NotEqual(first.Key, wider.Key);
        Assert.Equal(builds.Item1 + 1, torch.Builds);
    }

    [Fact]
    public void A_damaged_cache_entry_is_measured_again_and_replaced()
    {
        using var temp = new TempDirectory();
        var (selector, torch, _) = Selector(temp, TimeSpan.FromMilliseconds(5), TimeSpan.Zero);
        var first = selector.Resolve(Auto()).Choice!;
        var entry = new CalibrationCache(temp.File("cache")).PathOf(first.Key);
        File.WriteAllText(entry, "{\"chosen\": \"torch\"");

        var again = selector.Resolve(Auto()).Choice!;

        Assert.False(again.FromCache);
        Assert.Equal("scratch", again.Chosen);
        Assert.Equal(2, torch.Builds);
        Assert.True(new CalibrationCache(temp.File("cache")).Read(first.Key) is { Chosen: "scratch" });
    }

    [Fact]
    public void An_engine_that_cannot_run_the_spec_here_is_not_a_candidate_and_a_lone_candidate_needs_no_calibration()
    {
        using var temp = new TempDirectory();
        var (selector, torch, scratch) = Selector(temp, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));
        scratch.Problem = "no such device here";

        var choice = selector.Resolve(Auto()).Choice!;

        Assert.Equal("torch", choice.Chosen);
        Assert.Equal(["torch"], choice.Candidates);
        Assert.Empty(choice.Timings);
        Assert.Contains("the only engine that runs this spec here (scratch: no such device here)", choice.Reason);
        Assert.Equal(0, torch.Builds + scratch.Builds);
    }

    [Fact]
    public void A_cached_choice_whose_engine_can_no_longer_run_the_spec_is_not_used()
    {
        using var temp = new TempDirectory();
        var (selector, torch, _) = Selector(temp, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));
        Assert.Equal("torch", selector.Resolve(Auto()).Choice!.Chosen);
        torch.Problem = "libtorch went away";

        var choice = selector.Resolve(Auto()).Choice!;

        Assert.Equal("scratch", choice.Chosen);
        Assert.False(choice.FromCache);
    }

    [Fact]
    public void With_no_engine_able_to_run_it_auto_says_what_each_engine_lacks()
    {
        var catalog = EngineCatalog.Of(StandInEngine.Delayed(EngineKind.Torch, TimeSpan.Zero, problem: "no GPU"),
            StandInEngine.Delayed(EngineKind.Scratch, TimeSpan.Zero, problem: "CPU only"));

        var problem = Assert.Single(catalog.Problems(EngineKind.Auto, Auto().Plan, DeviceKind.Cuda));

        Assert.Equal("engine", problem.Path);
        Assert.Equal("auto finds no engine that runs this spec here: torch — device: no GPU; scratch — device: CPU only", problem.Message);
    }

    [Fact]
    public void An_auto_run_is_the_run_pinned_to_the_engine_it_chose_and_records_the_choice_for_resume_evaluate_and_predict()
    {
        using var temp = new TempDirectory();
        var run = new ExperimentRun(TestRuns.Engines(), new TrainingCurveCharts(), new LoggerConfiguration().CreateLogger());
        var options = new RunOptions(temp.File("results")) { Data = new DataEnvironment(temp.File("data"), temp.File("cache")) };

        var auto = run.Execute(Auto(), options);
        var chosen = auto.Summary.EngineChoice!.Chosen;
        var pinned = run.Execute(Support.Specs.Load(Support.Specs.BasicRnn, $"engine={chosen}", "name=pinned"), options);

        Assert.Equal(RunStatus.Completed, auto.Summary.Status);
        Assert.Equal(chosen, auto.Summary.Engine);
        var fastest = auto.Summary.EngineChoice.Timings.MinBy(t => t.Score(0.2))!.Engine;
        Assert.Equal(fastest, chosen);
        Assert.Null(pinned.Summary.EngineChoice);
        Assert.Equal(WithoutSeconds(pinned.Folder.Metrics), WithoutSeconds(auto.Folder.Metrics));
        Assert.Equal(pinned.Summary.TestMetrics, auto.Summary.TestMetrics);
        Assert.Contains($"engine: {chosen}", File.ReadAllText(auto.Folder.SpecResolved));
        Assert.Contains("engine=auto", File.ReadAllText(auto.Folder.SpecAsGiven));
    }

    /// <summary>metrics.csv without its timings (the columns two identical runs do not share).</summary>
    private static IEnumerable<string> WithoutSeconds(string metrics) => MetricsFile.WithoutTimings(metrics);
}
