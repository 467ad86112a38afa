using System.Collections.Concurrent;
using System.Text.Json;
using RnnRunner.Core.Comparisons;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Storage;
using RnnRunner.Core.Training;
using Serilog;

namespace RnnRunner.Core.Search;

/// <summary>Trains one study trial into its folder: from scratch, or on from its checkpoint, watched by its gate.</summary>
public interface IStudyTrialExecutor
{
    RunSummary Run(LoadedSpec? spec, string folder, ITrainingObserver gate, CancellationToken cancellation);
}

/// <summary>Trials in this process (libtorch's generator is process-wide: one at a time per process).</summary>
public sealed class InProcessStudyTrials(Func<ExperimentRun> newRun, RunOptions options) : IStudyTrialExecutor
{
    /// <param name="spec">The spec of a new trial; null continues the folder's own run.</param>
    public RunSummary Run(LoadedSpec? spec, string folder, ITrainingObserver gate, CancellationToken cancellation) => (spec is null
        ? newRun().Resume(RunFolder.Open(folder), options with { Gate = gate }, cancellation)
        : newRun().ExecuteIn(RunFolder.CreateAt(folder), spec, options with { Gate = gate }, cancellation)).Summary;
}

public sealed record StudyOptions(string ResultsRoot)
{
    /// <summary>Continue this study folder instead of the latest one of the same study.</summary>
    public string? ResumeFolder { get; init; }
    public Func<DateTime> UtcNow { get; init; } = () => DateTime.UtcNow;
    /// <summary>How long a worker with nothing to start waits before looking again (others' trials may free a promotion).</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Write the report when done; a cluster's workers leave it to one report job.</summary>
    public bool WriteReport { get; init; } = true;
}

/// <param name="Interrupted">Stopped by the user; rerunning the study continues it.</param>
public sealed record StudyOutcome(string Folder, StudyState State, bool Interrupted, Comparison Comparison);

/// <summary>
/// Runs a study as one of any number of workers: takes the next job from the journal (<see cref="StudyScheduler"/>),
/// trains it, records how it ended, until the study is done; then writes the report. Rerunning continues the study's
/// latest folder: finished trials are kept, interrupted ones resume from their checkpoints, the budget counts them all.
/// </summary>
public sealed class StudyRunner(IStudyTrialExecutor executor, ILogger log, IComparisonChartWriter? charts = null, IStudyChartWriter? studyCharts = null)
{
    /// <summary>Trials this process has claimed, with their run locks (another process's are known by their folders' locks).</summary>
    private static readonly ConcurrentDictionary<string, RunLock> Active = new();
    private static readonly string Worker = $"pid {Environment.ProcessId} on {Environment.MachineName}";

    /// <summary>
    /// The study's folder — the one given, else the latest folder of this same study, else a new one — with its
    /// manifest. Chosen under a lock beside the study's folders, so workers started together all meet in one.
    /// </summary>
    public static string Prepare(LoadedStudy study, StudyOptions options)
    {
        using var allocation = FileLock.Wait(Path.Combine(options.ResultsRoot, study.Spec.Name, ".study.lock"));
        var folder = ChooseFolder(study, options);
        StudyManifest.Of(study).Write(folder);
        return folder;
    }

    public StudyOutcome Run(LoadedStudy study, StudyOptions options, CancellationToken cancellation = default)
    {
        var folder = Prepare(study, options);
        var journal = new StudyJournal(folder);
        log.Information("Study {Study}: {Trials} trials, {Sampler} sampler, {Objectives}, in {Folder}", study.Spec.Name,
            study.Spec.Search.Trials, Specs.SpecNames.OfVariant(study.SamplerSpec), StudyReport.ObjectivesText(study), folder);
        var scheduler = new StudyScheduler(study, Worker, trial => IsOrphan(folder, trial), trial => TryClaim(folder, trial));
        var interrupted = false;
        while (!cancellation.IsCancellationRequested && !interrupted)
        {
            var job = journal.Update(scheduler.Next);
            if (job is StudyJob.Done done)
            {
                foreach (var trial in done.Pruned) MarkPruned(folder, trial, scheduler.PrunedAtRung(trial));
                break;
            }
            if (job is StudyJob.Wait)
            {
                cancellation.WaitHandle.WaitOne(options.Poll);
                continue;
            }
            interrupted = Execute(study, folder, journal, job, cancellation);
        }
        var state = Checked(StudyState.Replay(journal.Read()), folder, study);
        var comparison = options.WriteReport ? StudyReport.Write(folder, study, state, charts, studyCharts) : Comparison.Of([], folder);
        if (state.Best(study.Objective) is { } best)
            log.Information("Best trial so far: {Trial} with {Objective} {Value:G6} ({Settings})", best.Name, study.Objective.Metric,
                best.Best(study.Objective), best.SettingsText());
        return new StudyOutcome(folder, state, interrupted || cancellation.IsCancellationRequested, comparison);
    }

    /// <summary>Writes the report of the study's folder as its journal stands, training nothing (a cluster's report job).</summary>
    public StudyOutcome Report(LoadedStudy study, StudyOptions options)
    {
        var folder = Prepare(study, options);
        var state = Checked(StudyState.Replay(new StudyJournal(folder).Read()), folder, study);
        return new StudyOutcome(folder, state, false, StudyReport.Write(folder, study, state, charts, studyCharts));
    }

    /// <summary>The journal's state with each trial checked against its folder (<see cref="TrialFolderCheck"/>).</summary>
    private StudyState Checked(StudyState state, string folder, LoadedStudy study) =>
        TrialFolderCheck.Apply(state, folder, study.Objectives, warning => log.Warning("{Warning}", warning));

    /// <summary>Trains the job's trial and records how it ended; true when it was interrupted (the study stops).</summary>
    private bool Execute(LoadedStudy study, string folder, StudyJournal journal, StudyJob job, CancellationToken cancellation)
    {
        var (trial, target) = job switch
        {
            StudyJob.Start s => (s.Trial, s.Target),
            StudyJob.Continue c => (c.Trial, c.Target),
            _ => throw new ArgumentOutOfRangeException(nameof(job)),
        };
        var trialFolder = TrialFolder(folder, trial);
        try
        {
            if (job is StudyJob.Continue { Promoted: false } && EndedUnrecorded(study, trial, trialFolder, journal)) return false;
            // A new trial, or one whose worker died before its run wrote a summary, starts from scratch in a clean folder.
            var spec = job is StudyJob.Start start ? start.Spec
                : File.Exists(RunFolder.At(trialFolder).Summary) ? null : study.TrialSpec(trial.Number, trial.Point);
            if (spec is not null && Directory.Exists(trialFolder)) Directory.Delete(trialFolder, recursive: true);
            log.Information("Trial {Trial} ({Action} to epoch {Target}): {Settings}", trial.Name,
                job is StudyJob.Continue { Promoted: true } ? "promoted, continues" : spec is null ? "resumes" : "starts",
                target, trial.SettingsText());
            RunSummary summary;
            try
            {
                summary = executor.Run(spec, trialFolder, new TrialGate(journal, study, trial, target, Worker), cancellation);
            }
            catch (Exception e) when (e is (IOException or UnauthorizedAccessException) and not DamagedJournalException)
            {
                // The trial's folder could not be written (a full disk): it failed, and the journal says so rather than
                // leaving it "running" for a worker that is gone.
                journal.Append(new JournalRecord { Event = JournalEvent.Failed, Trial = trial.Number, Message = e.Message, Worker = Worker });
                log.Warning("Trial {Trial} failed: {Message}", trial.Name, e.Message);
                return false;
            }
            journal.Append(Ending(study, trial, summary, trialFolder));
            if (summary.Status is RunStatus.Failed or RunStatus.Diverged)
                log.Warning("Trial {Trial} {Status}: {Message}", trial.Name, summary.Status, summary.Message);
            return summary.Status == RunStatus.Interrupted;
        }
        finally
        {
            if (Active.TryRemove(trialFolder, out var claim)) claim.Dispose();
        }
    }

    /// <summary>Claims a trial for this worker: its run lock, held until the trial's run ends; false when another worker has it.</summary>
    private static bool TryClaim(string folder, StudyTrial trial)
    {
        var trialFolder = TrialFolder(folder, trial);
        lock (Active)
        {
            if (Active.ContainsKey(trialFolder)) return false; // another thread of this process (the lock is re-entrant within it)
            if (RunLock.TryAcquire(trialFolder, out _) is not { } claim) return false;
            Active[trialFolder] = claim;
            return true;
        }
    }

    /// <summary>
    /// A trial whose worker died after its run ended (its summary says how) but before the journal heard: the epochs
    /// the journal missed are reported from its metrics.csv and the ending recorded, so it is never run again.
    /// </summary>
    private static bool EndedUnrecorded(LoadedStudy study, StudyTrial trial, string trialFolder, StudyJournal journal)
    {
        var run = RunFolder.At(trialFolder);
        if (RunSummary.TryRead(run.Summary, out _) is not { Status: not (RunStatus.Running or RunStatus.Interrupted) } ended) return false;
        var missed = File.Exists(run.Metrics)
            ? MetricsCsv.Read(run.Metrics).Where(m => !trial.Reported.ContainsKey(m.Epoch) && m.Values.ContainsKey(study.Objective.Metric))
                .Select(m => new JournalRecord { Event = JournalEvent.Reported, Trial = trial.Number, Epoch = m.Epoch, Value = m.Values[study.Objective.Metric], Worker = Worker })
            : [];
        journal.Append([.. missed, Ending(study, trial, ended, trialFolder)]);
        return true;
    }

    /// <summary>How the trial's run ended, as a journal record; a completed trial of a multi-objective study also carries every objective's value.</summary>
    private static JournalRecord Ending(LoadedStudy study, StudyTrial trial, RunSummary summary, string trialFolder) => new()
    {
        Event = summary.Status switch
        {
            RunStatus.Completed => JournalEvent.Completed,
            RunStatus.Paused => JournalEvent.Paused,
            RunStatus.Pruned => JournalEvent.Pruned,
            RunStatus.Interrupted => JournalEvent.Interrupted,
            _ => JournalEvent.Failed,
        },
        Trial = trial.Number, Epoch = summary.EpochsRun, Message = summary.Message, Worker = Worker,
        Values = summary.Status == RunStatus.Completed && study.Objectives.Count > 1 ? study.Objectives.Select(o => o.Measure(trialFolder)).ToList() : null,
    };

    public static string TrialFolder(string studyFolder, StudyTrial trial) => new GridFolder(studyFolder).Trial(trial.Name);

    /// <summary>Running by the journal, yet not claimed in this process and its folder's lock is free: its worker died.</summary>
    private static bool IsOrphan(string folder, StudyTrial trial)
    {
        var trialFolder = TrialFolder(folder, trial);
        lock (Active)
        {
            if (Active.ContainsKey(trialFolder)) return false;
            using var probe = RunLock.TryAcquire(trialFolder, out _);
            return probe is not null;
        }
    }

    /// <summary>A paused trial the study ends without promoting: its summary says pruned, with the rung.</summary>
    private void MarkPruned(string folder, StudyTrial trial, string message)
    {
        var path = RunFolder.At(TrialFolder(folder, trial)).Summary;
        if (RunSummary.TryRead(path, out _) is { Status: RunStatus.Paused } summary)
            (summary with { Status = RunStatus.Pruned, Message = message }).Write(path);
        log.Information("Trial {Trial}: {Message}", trial.Name, message);
    }

    /// <summary>The folder given, else the latest folder of this same study (same identity), else a new one.</summary>
    private static string ChooseFolder(LoadedStudy study, StudyOptions options)
    {
        if (options.ResumeFolder is { } given)
        {
            if (StudyManifest.TryRead(given)?.Identity is not { } identity)
                throw new ResumeException($"{given}: not a study folder (no {StudyManifest.FileName})");
            if (identity != study.Identity)
                throw new ResumeException($"{given}: was made by a different study (its base spec or search differ); run the study without --resume to start a new folder");
            return Path.GetFullPath(given);
        }
        return RunFolder.LatestOrAllocate(Path.Combine(options.ResultsRoot, study.Spec.Name),
            d => StudyManifest.TryRead(d)?.Identity == study.Identity, options.UtcNow());
    }
}

/// <summary>study.json: what makes a folder a study's — its name, identity, file, objective and search space.</summary>
public sealed record StudyManifest(string Name, string Identity, string Source, string Objective, string Direction, string Sampler,
    int Trials, IReadOnlyList<string> Parameters)
{
    public const string FileName = "study.json";

    public static StudyManifest Of(LoadedStudy study) => new(study.Spec.Name, study.Identity, Path.GetFullPath(study.SourcePath),
        study.Objective.Metric, study.Objective.Direction, Specs.SpecNames.OfVariant(study.SamplerSpec), study.Spec.Search.Trials,
        study.Space.Select(p => p.Path).ToList());

    public void Write(string folder) =>
        AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, RunSummary.JsonOptions));

    public static StudyManifest? TryRead(string folder)
    {
        try
        {
            return JsonSerializer.Deserialize<StudyManifest>(File.ReadAllText(Path.Combine(folder, FileName)), RunSummary.JsonOptions);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }
}
