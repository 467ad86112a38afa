using RnnRunner.Core.Engines;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch;
using RnnRunner.Engines.Torch;
using RnnRunner.Plotting;
using Serilog;

namespace RnnRunner.Tests.Support;

/// <summary>An experiment run on either engine (as the spec says) with real charts and a silent logger.</summary>
public static class TestRuns
{
    public static ExperimentRun New() => new(Engines(), new TrainingCurveCharts(), new LoggerConfiguration().CreateLogger());

    /// <summary>Both engines, as the command line has them (the scratch engine with two workers, whatever the machine).</summary>
    public static EngineCatalog Engines() => new(new Dictionary<EngineKind, Func<IEngine>>
    {
        [EngineKind.Torch] = () => new TorchEngine(),
        [EngineKind.Scratch] = () => SharedScratch,
    });

    /// <summary>One scratch engine for all tests: its worker threads live as long as the test process.</summary>
    private static readonly ScratchEngine SharedScratch = new(threads: 2);
}
