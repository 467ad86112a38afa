using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.EngineSelection;
using RnnRunner.Core.Settings;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Torch;
using RnnRunner.Tests.Support;
using Serilog;

namespace RnnRunner.Tests.Engines;

/// <summary>
/// An engine's variants — threads, recurrent kernels — are chosen per machine and spec shape by calibration: the
/// fastest of those that compute what the engine's default computes, for a pinned engine only once its steps are
/// long enough for the choice to pay.
/// </summary>
[Collection(TorchCollection.Name)]
public class EngineVariantTests
{
    private static readonly EngineVariant Default = new("torch", 2, "aten");
    private static readonly EngineVariant OneThread = new("torch", 1, "aten");
    private static readonly EngineVariant Wrong = new("torch", 2, "wrong-kernels");

    /// <summary>A stand-in torch engine offering these variants, the first its default.</summary>
    private static StandInEngine Torch(params (EngineVariant Variant, int DelayMs, double LossShift)[] variants) =>
        new(EngineKind.Torch, [.. variants.Select(v => new StandInVariant(v.Variant, TimeSpan.FromMilliseconds(v.DelayMs), v.LossShift))]);

    private static EngineSelector Selector(TempDirectory temp, IEngine engine) =>
        new(EngineCatalog.Of(engine), new CalibrationCache(temp.File("cache")), new LoggerConfiguration().CreateLogger());

    private static Core.Loading.LoadedSpec Pinned() => Support.Specs.Load(Support.Specs.BasicRnn, "engine=torch");

    [Fact]
    public void A_variant_that_computes_another_loss_than_the_default_is_never_chosen_however_fast()
    {
        using var temp = new TempDirectory();
        var engine = Torch((Default, 60, 0), (Wrong, 0, 0.5), (OneThread, 30, 0));

        var (resolved, choice) = Selector(temp, engine).Resolve(Pinned());

        Assert.Equal(OneThread, choice!.Variant);
        Assert.Equal([Wrong], choice.Disagreeing);
        Assert.Equal([Default, Wrong, OneThread], choice.Timings.Select(t => t.Variant));
        Assert.Equal(EngineKind.Torch, resolved.Spec.Engine);
        Assert.StartsWith("fastest: torch (aten, 1 thread) ", choice.Reason);
    }

    [Trait(TestLevel.Key, TestLevel.Process)]
    [Fact]
    public void A_choice_calibrated_while_another_process_keeps_the_machine_busy_is_used_but_not_cached()
    {
        using var temp = new TempDirectory();
        var engine = Torch((Default, 60, 0), (OneThread, 30, 0));
        var cache = new CalibrationCache(temp.File("cache"));
        var selector = new EngineSelector(EngineCatalog.Of(engine), cache, new LoggerConfiguration().CreateLogger());
        using var neighbour = System.Diagnostics.Process.Start("bash", ["-c", "while :; do :; done"]);
        (Core.Loading.LoadedSpec Loaded, EngineChoice? Choice) busy;
        try
        {
            Thread.Sleep(300);
            busy = selector.Resolve(Pinned());
        }
        finally
        {
            neighbour.Kill();
        }

        Assert.Equal(OneThread, busy.Choice!.Variant);
        Assert.True(busy.Choice.OthersCpuShare > EngineSelector.BusyShare, $"others' share {busy.Choice.OthersCpuShare}");
        Assert.False(Directory.Exists(temp.File("cache/engine-calibration")) && Directory.EnumerateFiles(temp.File("cache/engine-calibration")).Any());
    }

    [Fact]
    public void A_pinned_engine_whose_steps_are_too_short_to_pay_for_tuning_keeps_its_default_after_one_quick_probe()
    {
        using var temp = new TempDirectory();
        var engine = Torch((Default, 0, 0), (OneThread, 0, 0));

        var (resolved, choice) = Selector(temp, engine).Resolve(Pinned());

        Assert.Null(choice);
        Assert.Equal([Default], engine.Built);
        Assert.Equal(EngineKind.Torch, resolved.Spec.Engine);
    }

    [Fact]
    public void The_torch_engine_trains_a_model_too_small_to_split_on_one_thread_and_a_large_one_on_every_core_unless_threads_are_pinned()
    {
        var engine = new TorchEngine();
        var all = engine.DefaultVariant.Threads;
        var small = Support.Specs.Load(Support.Specs.BasicRnn, "model[1]={type: bidirectional, layer: {type: lstm, units: 8}}");
        var large = Support.Specs.Load(Support.Specs.BasicRnn, "model[1]={type: lstm, units: 256}", "training.batch_size=128");

        Assert.Equal(new EngineVariant("torch", all, "aten"), engine.DefaultVariant);
        Assert.Equal([new EngineVariant("torch", 1, "aten")], engine.Variants(small.Plan, small.Spec.Training, DeviceKind.Cpu));
        Assert.Equal([new EngineVariant("torch", all, "aten")], engine.Variants(large.Plan, large.Spec.Training, DeviceKind.Cpu));
        Assert.Equal([new EngineVariant("torch", 1, "aten")], new TorchEngine(threads: 1).Variants(large.Plan, large.Spec.Training, DeviceKind.Cpu));
        Assert.Equal(new EngineVariant("torch", all, "aten"), new TorchEngine().DefaultVariant); // not the 1 just set
    }

    [Fact]
    public void The_thread_rule_splits_at_the_measured_step_size_counting_both_directions_of_a_bidirectional_layer()
    {
        var lstm128 = Support.Specs.Load(Support.Specs.BasicRnn, "model[1]={type: lstm, units: 128}", "model[0].output_dim=32", "training.batch_size=128");
        var lstm256 = Support.Specs.Load(Support.Specs.BasicRnn, "model[1]={type: lstm, units: 256}", "model[0].output_dim=32", "training.batch_size=128");
        var gru128 = Support.Specs.Load(Support.Specs.BasicRnn, "model[1]={type: gru, units: 160}", "model[0].output_dim=32", "training.batch_size=128");
        var bidirectional = Support.Specs.Load(Support.Specs.BasicRnn, "model[1]={type: bidirectional, layer: {type: gru, units: 160}}", "model[0].output_dim=32", "training.batch_size=128");

        Assert.Equal(4.0 * 128 * (32 + 128) * 128, ThreadChoice.StepMultiplyAdds(lstm128.Plan, 128));
        Assert.Equal(1, ThreadChoice.For(lstm128.Plan, 128, available: 2));
        Assert.Equal(2, ThreadChoice.For(lstm256.Plan, 128, available: 2));
        Assert.Equal(1, ThreadChoice.For(gru128.Plan, 128, available: 2)); // 3 × 160 × 192 × 128 = 11.8 M
        Assert.Equal(2, ThreadChoice.For(bidirectional.Plan, 128, available: 2)); // both directions: 23.6 M
    }

    [Theory]
    [InlineData("DOTNET_EnableAVX512")]
    [InlineData("ATEN_CPU_CAPABILITY")]
    [InlineData("MKL_ENABLE_INSTRUCTIONS")]
    [InlineData("MKL_CBWR")]
    [InlineData("OMP_WAIT_POLICY")]
    [InlineData("GOMP_SPINCOUNT")]
    [InlineData("SLURM_CPUS_PER_TASK")]
    public void Every_switch_that_changes_the_kernels_or_their_threads_changes_the_calibration_key(string variable)
    {
        var here = Switchboard.Current;
        var changed = here.With(variable, variable == "SLURM_CPUS_PER_TASK" ? "7" : (here.Set.GetValueOrDefault(variable) ?? "") + "-changed");

        Assert.NotEqual(CalibrationKey.Machine(threads: null, here), CalibrationKey.Machine(threads: null, changed));
    }

    [Fact]
    public void Every_switch_the_switchboard_marks_as_changing_kernels_changes_the_calibration_key()
    {
        var here = Switchboard.Current;
        foreach (var info in Switchboard.Known.Where(s => s.ChangesKernels))
        {
            var value = info.Name switch { "SLURM_CPUS_PER_TASK" or "OMP_NUM_THREADS" => "7", "RNNRUNNER_LSTM_KERNELS" => "onednn", "RNNRUNNER_MALLOC" => "system", _ => "changed" };
            Assert.True(CalibrationKey.Machine(null, here) != CalibrationKey.Machine(null, here.With(info.Name, value)), info.Name);
        }
    }
}
