using RnnRunner.Core.Running;
using RnnRunner.Engines.Torch;
using RnnRunner.Plotting;
using Serilog;

namespace RnnRunner.Tests.Support;

/// <summary>An experiment run on the TorchSharp engine with real charts and a silent logger.</summary>
public static class TestRuns
{
    public static ExperimentRun New() => new(new TorchEngine(), new TrainingCurveCharts(), new LoggerConfiguration().CreateLogger());
}
