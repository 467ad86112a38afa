using System.Diagnostics;
using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Storage;
using RnnRunner.Core.Training;
using Serilog;
using Serilog.Formatting.Compact;

namespace RnnRunner.Core.Running;

/// <summary>What a finished (or failed) run left behind.</summary>
public sealed record RunOutcome(RunFolder Folder, RunSummary Summary);

/// <summary>Where results go and what else to tell about progress.</summary>
public sealed record RunOptions(string ResultsRoot)
{
    public ITrainingObserver? Progress { get; init; }
    /// <summary>A study's trial gate: told of every epoch after the checkpoint, it may stop training (<see cref="TrainingStoppedException"/>).</summary>
    public ITrainingObserver? Gate { get; init; }
    /// <summary>Further outputs beside metrics.csv and the charts (e.g. TensorBoard event files).</summary>
    public IReadOnlyList<IRunOutputKind> Outputs { get; init; } = [];
    public DataEnvironment? Data { get; init; }
    public Func<DateTime> UtcNow { get; init; } = () => DateTime.UtcNow;
}

/// <summary>Raised when a run folder cannot be resumed (already completed, or not a run folder).</summary>
public sealed class ResumeException(string message) : Exception(message);

/// <summary>
/// Runs one validated spec: allocate the run folder → record the spec → load data → build the model on the
/// chosen engine → train (checkpointing every epoch) → save weights, metrics, charts and summary. Resume picks
/// an interrupted run up from its last checkpoint, in the same folder. Each step's work lives elsewhere; this
/// class only puts them in order and records how the run ended.
/// </summary>
public sealed class ExperimentRun(EngineCatalog engines, ITrainingCurveChartWriter charts, ILogger log)
{
    /// <summary>What every run writes from its history, in this order, before the options' further outputs.</summary>
    private readonly IReadOnlyList<IRunOutputKind> _standardOutputs = [new MetricsCsvOutput(), new TrainingCurvesOutput(charts)];

    /// <summary>A runner with one engine (specs asking for another fail when they start).</summary>
    public ExperimentRun(IEngine engine, ITrainingCurveChartWriter charts, ILogger log) : this(EngineCatalog.Of(engine), charts, log) { }

    public RunOutcome Execute(LoadedSpec loaded, RunOptions options, CancellationToken cancellation = default)
    {
        // The engine first: loading libtorch (or calibrating, for auto) takes a second or two, and a kill meanwhile should leave no folder.
        var (resolved, choice) = Selector(options).Resolve(loaded);
        var engine = engines.For(resolved.Spec.Engine);
        var folder = RunFolder.Allocate(Path.Combine(options.ResultsRoot, loaded.Spec.Name), options.UtcNow());
        FaultPoints.Reach(FaultPoints.AfterAllocate, folder.Path);
        using var owner = RunLock.Acquire(folder.Path);
        return Start(folder, resolved, engine, choice, options, cancellation);
    }

    /// <summary>Runs into a given, freshly created folder (a grid's trial folder) that the caller has locked.</summary>
    public RunOutcome ExecuteIn(RunFolder folder, LoadedSpec loaded, RunOptions options, CancellationToken cancellation = default)
    {
        using var owner = RunLock.Acquire(folder.Path);
        var (resolved, choice) = Selector(options).Resolve(loaded);
        return Start(folder, resolved, engines.For(resolved.Spec.Engine), choice, options, cancellation);
    }

    private EngineSelection.EngineSelector Selector(RunOptions options) =>
        new(engines, new EngineSelection.CalibrationCache((options.Data ?? DataEnvironment.FromEnvironment()).CacheRoot), log);

    /// <summary>
    /// Writes the spec files, then summary.json (running) — a folder with a summary can always be resumed — and
    /// trains. If not even those small files fit (a full disk), the folder is removed: nothing half-written stays.
    /// </summary>
    private RunOutcome Start(RunFolder folder, LoadedSpec loaded, IEngine engine, Engines.EngineChoice? choice, RunOptions options, CancellationToken cancellation)
    {
        var spec = loaded.Spec;
        var summary = new RunSummary
        {
            Name = spec.Name, RunId = folder.Id, Status = RunStatus.Running, Engine = SpecNames.Of(spec.Engine),
            Device = SpecNames.Of(spec.Device), Seed = spec.Seed, StartedUtc = options.UtcNow(),
            Parameters = loaded.Plan.TorchParameters, ParametersKerasConvention = loaded.Plan.KerasParameters,
            Versions = engine.Versions, RecurrentKernels = engine.RecurrentKernelsOf(choice?.Variant ?? engine.DefaultVariant), EngineChoice = choice, GitCommit = GitInfo.Commit(AppContext.BaseDirectory),
            Cpu = Cpu.Current.ToString(),
        };
        try
        {
            WriteSpecFiles(loaded, folder);
            summary.Write(folder.Summary);
        }
        catch (IOException)
        {
            try { Directory.Delete(folder.Path, recursive: true); } catch (IOException) { } // best effort; the error below matters
            throw;
        }
        return Train(folder, loaded, summary, options, resume: false, cancellation);
    }

    /// <summary>
    /// Continues an interrupted (or crashed) run from its last intact checkpoint, in its own folder, as its only
    /// owner; a second resume of the same folder while this one runs is refused.
    /// </summary>
    public RunOutcome Resume(RunFolder folder, RunOptions options, CancellationToken cancellation = default)
    {
        using var owner = RunLock.Acquire(folder.Path);
        if (!File.Exists(folder.Summary) && !File.Exists(folder.SpecResolved) && !Directory.EnumerateFileSystemEntries(folder.Path).Any())
            throw new ResumeException($"{folder.Path}: this run never started (it was stopped before writing anything); start it again with rnnrunner run");
        if (!File.Exists(folder.Summary) || !File.Exists(folder.SpecResolved))
            throw new ResumeException($"{folder.Path}: not a run folder (no summary.json or spec.resolved.yaml)");
        RunSummary previous;
        try
        {
            previous = RunSummary.Read(folder.Summary);
        }
        catch (DamagedFileException e)
        {
            throw new ResumeException($"{e.Message}; start the run again with rnnrunner run");
        }
        if (previous.Status == RunStatus.Completed)
            throw new ResumeException($"{folder.Path}: this run already completed; start a new one with rnnrunner run");
        var loaded = SpecLoader.LoadFile(folder.SpecResolved);
        var removed = AtomicFile.RemoveStrayTemporaries(folder.Path);
        if (removed > 0) log.Information("Removed {Count} unfinished temporary file(s) a killed process left in {Folder}", removed, folder.Path);
        // The engine facts are this machine's: a run resumed elsewhere records the kernels that finish it.
        var engine = engines.For(loaded.Spec.Engine);
        var summary = previous with
        {
            Status = RunStatus.Running,
            Message = null,
            Resumes = previous.Resumes + 1,
            Versions = engine.Versions,
            RecurrentKernels = engine.RecurrentKernelsOf(previous.EngineChoice?.Variant ?? engine.DefaultVariant),
            Cpu = Cpu.Current.ToString(),
        };
        summary.Write(folder.Summary);
        return Train(folder, loaded, summary, options, resume: true, cancellation);
    }

    private RunOutcome Train(RunFolder folder, LoadedSpec loaded, RunSummary summary, RunOptions options, bool resume, CancellationToken cancellation)
    {
        var spec = loaded.Spec;
        using var runLog = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .Enrich.WithProperty("Run", $"{spec.Name}/{folder.Id}")
            .WriteTo.Logger(log)
            .WriteTo.File(new CompactJsonFormatter(), folder.Log)
            .CreateLogger();
        var clock = Stopwatch.StartNew();
        runLog.Information("Run {RunFolder} {Action}: {Engine} engine, {Parameters:N0} parameters",
            folder.Path, resume ? "resumed" : "started", summary.Engine, summary.Parameters);

        var outputs = _standardOutputs.Concat(options.Outputs).Select(kind => kind.Start(folder, loaded)).ToList();
        try
        {
            var recorder = new HistoryRecorder(folder, MetricKey.Logged(spec.Training).Select(k => k.Name).ToList(), runLog, outputs,
                new[] { options.Progress, options.Gate }.OfType<ITrainingObserver>().ToList(), ShowsRate: spec.Training.ReduceLrOnPlateau is not null)
            {
                HistogramFreq = spec.Training.HistogramFreq,
            };
            summary = Fit(folder, loaded, summary, options, resume, recorder, runLog, clock, cancellation);
            return new RunOutcome(folder, FinishOutputs(folder, summary, outputs, recorder.History, runLog));
        }
        finally
        {
            foreach (var output in outputs)
            {
                // Closing an output flushes it (TensorBoard's event files): a full disk there loses that output's tail,
                // never the run, whose status is written already.
                try { output.Dispose(); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { runLog.Warning("An output could not be closed: {Message}", e.Message); }
            }
        }
    }

    /// <summary>Loads the data, builds the model, trains (from the checkpoint when resuming) and says how it ended.</summary>
    private RunSummary Fit(RunFolder folder, LoadedSpec loaded, RunSummary summary, RunOptions options, bool resume,
        HistoryRecorder recorder, ILogger runLog, Stopwatch clock, CancellationToken cancellation)
    {
        var spec = loaded.Spec;
        try
        {
            var data = LoadData(spec, options.Data ?? DataEnvironment.FromEnvironment(), runLog, cancellation);
            WriteDataFiles(data, folder);
            // The variant calibration chose (a resume keeps it, so its steps compute as the first ones did).
            var engine = engines.For(spec.Engine);
            using var model = engine.Build(loaded.Plan, spec.Training, spec.Device, spec.Seed, summary.EngineChoice?.Variant);
            summary = summary with { Versions = engine.Versions }; // the threads it trains with, not calibration's last
            recorder.Model = model;
            TrainerState? state = null;
            if (resume && Checkpoint.Exists(folder))
            {
                state = Checkpoint.Read(folder, model, warning => runLog.Warning("{Warning}", warning));
                runLog.Information("Resuming after epoch {Epoch}", state.EpochsDone);
            }
            recorder.Start(state?.History ?? []);
            var result = new Trainer(model, spec.Training, spec.Seed, recorder).Fit(data, cancellation, state);
            WeightsFile.Save(folder.Weights, model.GetWeights());
            if (result.TestPredictions.Count > 0) PredictionsCsv.Write(folder.Predictions, result.TestPredictions);
            // Read as rounded numbers on a terminal; kept as full-precision numbers (TestMetrics) in log.jsonl.
            runLog.ForContext("TestMetrics", result.TestMetrics, destructureObjects: true)
                .Information("Run completed: best epoch {BestEpoch} ({Monitor} {BestValue:F4}); {Test}",
                    result.BestEpoch, result.Monitor, result.BestValue, Rounded(result.TestMetrics));
            return Finish(summary, RunStatus.Completed, null, recorder.History, clock) with
            {
                Monitor = result.Monitor,
                BestEpoch = result.BestEpoch,
                BestValue = result.BestValue,
                StoppedEarly = result.StoppedEarly,
                RestoredBestWeights = result.RestoredBestWeights,
                BestMetrics = result.History.First(h => h.Epoch == result.BestEpoch).Values,
                TestMetrics = result.TestMetrics,
            };
        }
        catch (TrainingDivergedException e)
        {
            runLog.Error("Run diverged: {Message}", e.Message);
            return Finish(summary, RunStatus.Diverged, e.Message, recorder.History, clock) with { DivergedAtEpoch = e.Epoch, DivergedAtBatch = e.Batch };
        }
        catch (TrainingStoppedException e)
        {
            runLog.Information("Run {Status} after epoch {Epoch}: {Message}", e.Pruned ? "pruned" : "paused", e.Epoch, e.Message);
            return Finish(summary, e.Pruned ? RunStatus.Pruned : RunStatus.Paused, e.Message, recorder.History, clock);
        }
        catch (OperationCanceledException)
        {
            runLog.Warning("Run interrupted after {Epochs} complete epoch(s); the checkpoint keeps them", recorder.History.Count);
            return Finish(summary, RunStatus.Interrupted, $"interrupted; continue with: rnnrunner resume {folder.Path}", recorder.History, clock);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or InvalidOperationException or DatasetException)
        {
            runLog.Error("Run failed: {Message}", e.Message);
            return Finish(summary, RunStatus.Failed, e.Message, recorder.History, clock);
        }
        catch (Exception e)
        {
            // A bug, not a known fault: the run still ends as failed (never left "running" behind an exiting process),
            // with the details in log.jsonl, and the error goes on to the command's own handler.
            runLog.Fatal(e, "Run failed unexpectedly");
            try { Finish(summary, RunStatus.Failed, $"unexpected {e.GetType().Name}: {e.Message}", recorder.History, clock).Write(folder.Summary); }
            catch (IOException) { } // the disk itself may be the fault; the original error is the one to report
            throw;
        }
    }

    /// <summary>
    /// The status first — the outputs are the larger writes, and a full disk must not leave it at "running" — then
    /// each output; one that cannot write turns the run to failed, and the status says so.
    /// </summary>
    private static RunSummary FinishOutputs(RunFolder folder, RunSummary summary, IReadOnlyList<IRunOutput> outputs,
        IReadOnlyList<EpochMetrics> history, ILogger runLog)
    {
        summary.Write(folder.Summary);
        foreach (var output in outputs)
        {
            try
            {
                output.Finished(summary, history);
            }
            catch (IOException e)
            {
                summary = summary with { Status = RunStatus.Failed, Message = $"the run's outputs could not be written: {e.Message}" };
                runLog.Error("Run failed: {Message}", summary.Message);
                try { summary.Write(folder.Summary); } catch (IOException) { } // the status above already says how training ended
            }
        }
        return summary;
    }

    private static DatasetSplits LoadData(ExperimentSpec spec, DataEnvironment environment, ILogger log, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var data = DataSources.LoadSplits(spec.Data, spec.Training.ValidationSplit, spec.Seed, cancellation, environment);
        log.Information("Data ready in {Seconds:F2} s: {Train} training, {Validation} validation, {Test} test examples",
            clock.Elapsed.TotalSeconds, data.Train.Count, data.Validation.Count, data.Test.Count);
        if (data.Report is { } report)
            log.Information("Preprocessing: {Source} ({Cache}), {VocabularySize:N0} distinct words, {Kept:N0} kept, "
                + "train OOV rate {Oov:P1}, {Truncated:P0} of reviews truncated",
                report.Source, report.FromCache ? "token cache hit" : "tokenised and cached", report.VocabularySize,
                report.KeptWords, report.Splits["train"].OovRate, report.Splits["train"].Truncated);
        return data;
    }

    /// <summary>What predict needs to encode new inputs exactly as in training (a vocabulary, a series' normalisation), and the preprocessing report.</summary>
    private static void WriteDataFiles(DatasetSplits data, RunFolder folder)
    {
        if (data.Vocabulary is { } vocabulary) AtomicFile.Write(folder.Vocabulary, vocabulary.Write);
        if (data.Report is { } report) AtomicFile.WriteAllText(folder.Preprocessing, report.ToJson() + "\n");
        if (data.NumericReport is { } numeric) AtomicFile.WriteAllText(folder.Preprocessing, numeric.ToJson() + "\n");
        folder.RecordDataFileChecksums();
    }

    private static void WriteSpecFiles(LoadedSpec loaded, RunFolder folder)
    {
        var given = loaded.Overrides.Count == 0
            ? loaded.SourceText
            : $"# Command-line overrides applied on top of this file:\n{string.Concat(loaded.Overrides.Select(o => $"#   --set {o}\n"))}{loaded.SourceText}";
        AtomicFile.WriteAllText(folder.SpecAsGiven, given);
        AtomicFile.WriteAllText(folder.SpecResolved,
            $"# {loaded.Spec.Name}: the spec as run, every default filled in.\n{SpecWriter.ToYaml(loaded.Spec)}");
        AtomicFile.WriteAllText(folder.ModelSummary, loaded.Plan.Summary(loaded.Spec.Name) + "\n");
        AtomicFile.WriteAllText(folder.DataSignature, TrainedSpec.SignatureJson(loaded.Data) + "\n");
    }

    private static RunSummary Finish(RunSummary summary, RunStatus status, string? message, IReadOnlyList<EpochMetrics> history, Stopwatch clock) =>
        summary with
        {
            Status = status,
            Message = message,
            FinishedUtc = DateTime.UtcNow,
            TotalSeconds = (summary.TotalSeconds ?? 0) + clock.Elapsed.TotalSeconds,
            EpochsRun = history.Count,
            FinalMetrics = history.Count > 0 ? history[^1].Values : null,
            SecondsPerEpoch = history.Count > 0 ? history.Average(h => h.Seconds) : null,
            CpuSecondsPerEpoch = history.Count > 0 && history.All(h => h.CpuSeconds is not null) ? history.Average(h => h.CpuSeconds!.Value) : null,
            OthersCpuShare = history.Count > 0 && history.All(h => h.OthersCpuShare is not null)
                ? Math.Round(history.Sum(h => h.OthersCpuShare!.Value * h.Seconds) / Math.Max(1e-9, history.Sum(h => h.Seconds)), 2) : null,
            PeakMemoryMb = PeakMemory.MegabytesOrNull(),
            MinorPageFaults = PeakMemory.MinorPageFaultsOrNull(),
        };

    /// <summary>"loss 0.3068  accuracy 0.8755": metrics for a person, four decimals (log.jsonl keeps the numbers).</summary>
    /// <summary>A learning rate as people write one: 0.003, 0.0003, then 3e-05 (three significant digits).</summary>
    internal static string RateText(double rate) =>
        rate.ToString(rate >= 1e-4 || rate == 0 ? "G3" : "0.##e-00", System.Globalization.CultureInfo.InvariantCulture);

    internal static string Rounded(IEnumerable<KeyValuePair<string, double>> metrics) => string.Join("  ",
        metrics.Select(m => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{m.Key} {m.Value:F4}")));

    /// <summary>
    /// Keeps the history, writes the checkpoint after every epoch, logs each epoch (with its learning rate when a
    /// schedule changes it, as Keras 3 does) and tells the outputs and observers.
    /// </summary>
    private sealed class HistoryRecorder(RunFolder folder, IReadOnlyList<string> logged, ILogger log,
        IReadOnlyList<IRunOutput> outputs, IReadOnlyList<ITrainingObserver> observers, bool ShowsRate) : ITrainingObserver
    {
        private readonly List<EpochMetrics> _history = [];
        private double? _nextLearningRate;
        public IReadOnlyList<EpochMetrics> History => _history;
        public ITrainableModel? Model { get; set; }
        public int HistogramFreq { get; init; }

        /// <summary>Takes the checkpoint's history (empty for a new run) as the run's, and starts the outputs with it.</summary>
        public void Start(IReadOnlyList<EpochMetrics> restored)
        {
            _history.Clear();
            _history.AddRange(restored);
            foreach (var output in outputs) output.Started(_history);
            if (restored.Count > 0) foreach (var o in observers) o.Resumed(_history);
        }

        public void Checkpoint(TrainerState state)
        {
            if (Model is not null) Results.Checkpoint.Write(folder, state, Model);
            _nextLearningRate = state.LearningRate;
        }

        public void EpochStarted(int epoch, int epochs, int batches)
        {
            foreach (var o in observers) o.EpochStarted(epoch, epochs, batches);
        }

        public void BatchCompleted(int epoch, int batch, double loss)
        {
            foreach (var o in observers) o.BatchCompleted(epoch, batch, loss);
        }

        public void EpochCompleted(EpochMetrics metrics, bool isBest)
        {
            _history.Add(metrics);
            log.ForContext("Values", logged.ToDictionary(n => n, n => metrics.Values[n]), destructureObjects: true)
                .Information("Epoch {Epoch}: {Metrics}{Rate} ({Seconds:F1} s){Best}", metrics.Epoch,
                    Rounded(logged.Select(n => KeyValuePair.Create(n, metrics.Values[n]))),
                    ShowsRate ? $"  learning_rate {RateText(metrics.LearningRate)}" : "",
                    metrics.Seconds, isBest ? " *" : "");
            // As Keras' ReduceLROnPlateau says it: the epoch after which the rate changed, and to what.
            if (_nextLearningRate is { } next && next != metrics.LearningRate)
                log.Information("Epoch {Epoch}: learning rate reduced from {From} to {To} (reduce_lr_on_plateau)", metrics.Epoch, RateText(metrics.LearningRate), RateText(next));
            foreach (var output in outputs) output.EpochCompleted(metrics, _history, isBest);
            if (HistogramFreq > 0 && metrics.Epoch % HistogramFreq == 0 && Model is not null)
            {
                var (weights, gradients) = (Model.GetWeights(), Model.LastGradients());
                foreach (var output in outputs) output.WeightsAfter(metrics.Epoch, weights, gradients);
            }
            foreach (var o in observers) o.EpochCompleted(metrics, isBest);
        }
    }
}
