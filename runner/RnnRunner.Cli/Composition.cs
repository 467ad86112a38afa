using RnnRunner.Core.Results;
using RnnRunner.Cli.Terminal;
using RnnRunner.Core.Data;
using RnnRunner.Core.Running;
using RnnRunner.Core.Training;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch;
using RnnRunner.Engines.Torch;
using RnnRunner.Plotting;
using RnnRunner.TensorBoard;
using Serilog;

namespace RnnRunner.Cli;

/// <summary>The one place the command line wires the parts together: engine, charts, exporters, data progress.</summary>
public static class Composition
{
    /// <summary>CPU threads for either engine, from --threads; null leaves the default (all cores).</summary>
    public static int? Threads { get; set; }

    /// <summary>Both engines, each created when a spec first asks for it.</summary>
    public static EngineCatalog Engines() => new(new Dictionary<EngineKind, Func<IEngine>>
    {
        [EngineKind.Torch] = () => new TorchEngine(Threads),
        [EngineKind.Scratch] = () => new ScratchEngine(Threads),
    }) { Threads = Threads };

    public static ExperimentRun NewRun() => new(Engines(), new TrainingCurveCharts(), Log.Logger);

    public static IConfusionChartWriter ConfusionCharts() => new ConfusionMatrixChart();

    /// <param name="progress">The terminal's live display, or null off a terminal (then data progress is logged).</param>
    public static RunOptions RunOptions(string resultsRoot, TrainingProgressDisplay? progress) => new(resultsRoot)
    {
        Progress = progress,
        Data = DataEnvironment.FromEnvironment() with
        {
            Progress = progress is null ? new LoggedDataProgress() : (IProgress<DataProgress>)progress,
        },
        Outputs = [new TensorBoardExporter()],
    };
}
