using System.CommandLine;
using RnnRunner.Cli.Commands;
using RnnRunner.Cli.Terminal;
using RnnRunner.Core.Comparisons;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Search;
using RnnRunner.Core.Settings;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch;
using RnnRunner.Engines.Torch;
using RnnRunner.Plotting;
using RnnRunner.TensorBoard;
using Serilog;

namespace RnnRunner.Cli;

/// <summary>
/// The one place the command line wires the parts together: engines, charts, exporters, data progress. A command gets
/// one from its parse result and passes it on; nothing here is process-wide, so a study's worker share of the cores is
/// a value it passes, not a setting it changes.
/// </summary>
/// <param name="Threads">CPU threads for either engine (--threads, or a worker's share); null: the engines' own choice.</param>
/// <param name="Switches">The environment switches, read once at start-up.</param>
public sealed record Composition(int? Threads, Switchboard Switches)
{
    /// <summary>The parts for a command invocation: its --threads and this process's switches.</summary>
    public static Composition Of(ParseResult parse) =>
        new(parse.GetValue(SharedOptions.Threads) is > 0 and var threads ? threads : null, Switchboard.Current);

    /// <summary>Both engines, each created when a spec first asks for it.</summary>
    public EngineCatalog Engines() => new(new Dictionary<EngineKind, Func<IEngine>>
    {
        [EngineKind.Torch] = () => new TorchEngine(Threads, switches: Switches),
        [EngineKind.Scratch] = () => new ScratchEngine(Threads, Switches),
    })
    { Threads = Threads, Switches = Switches };

    public ExperimentRun NewRun() => new(Engines(), new TrainingCurveCharts(), Log.Logger);

    /// <summary>The same parts with the engines limited to <paramref name="threads"/> (a grid's or study's worker share).</summary>
    public Composition WithThreads(int? threads) => this with { Threads = threads };

    public IConfusionChartWriter ConfusionCharts() => new ConfusionMatrixChart();

    public IComparisonChartWriter ComparisonCharts() => new ComparisonCharts();

    public IStudyChartWriter StudyCharts() => new StudyCharts();

    /// <param name="progress">The terminal's live display, or null off a terminal (then data progress is logged).</param>
    public RunOptions RunOptions(string resultsRoot, TrainingProgressDisplay? progress) => new(resultsRoot)
    {
        Progress = progress,
        Data = DataEnvironment.Of(Switches) with
        {
            Progress = progress is null ? new LoggedDataProgress() : (IProgress<DataProgress>)progress,
        },
        Outputs = [new TensorBoardExporter()],
    };
}
