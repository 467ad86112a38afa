using System.Diagnostics;
using System.Globalization;
using RnnRunner.Cli.Terminal;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Search;
using RnnRunner.Core.Specs;
using Serilog;

namespace RnnRunner.Cli.Commands.Search;

/// <summary>
/// <c>rnnrunner search</c>: check the study, then work on it until it is done — with <c>--jobs N</c>, as N workers (this
/// process and N - 1 child processes, each with its share of the cores) sharing the study's journal; any other
/// process running the same study file (another terminal, a Slurm array task) joins them the same way.
/// </summary>
public static class SearchCommand
{
    public static int Execute(string file, string? resume, int jobs, bool dryRun, bool noReport, bool reportOnly, bool repair, string resultsRoot, bool json, ConsoleStreams console, Composition parts)
    {
        if (jobs < 1)
        {
            console.Error.WriteLine($"error: --jobs {jobs}: expected a positive number of workers");
            return ExitCodes.InvalidInput;
        }
        if (Load(file, console.Error) is not { } study) return ExitCodes.InvalidInput;
        if (dryRun) return Describe(study, console.Out);

        using var interrupts = Interrupts.Listen(console.Error);
        StudyOutcome outcome;
        try
        {
            var options = new StudyOptions(resultsRoot) { ResumeFolder = resume, WriteReport = !noReport };
            if (reportOnly)
            {
                var report = new StudyRunner(new InProcessStudyTrials(parts.NewRun, parts.RunOptions(resultsRoot, progress: null)), Log.Logger,
                    parts.ComparisonCharts(), parts.StudyCharts()).Report(study, options);
                console.Out.WriteLine($"Results: {report.Folder}");
                return ExitCodes.Success;
            }
            var folder = StudyRunner.Prepare(study, options);
            if (repair && new StudyJournal(folder) is var journal && journal.Repair() is > 0 and var setAside)
                console.Error.WriteLine($"repaired: {setAside} damaged journal line(s) set aside in {journal.DamagedPath}");
            var threads = jobs > 1 ? Math.Max(1, (parts.Threads ?? Environment.ProcessorCount) / jobs) : parts.Threads;
            var workers = Enumerable.Range(1, jobs - 1).Select(_ => StartWorker(file, folder, resultsRoot, threads!.Value)).ToList();
            var mine = parts.WithThreads(threads); // this process is one of the workers: its share, like theirs
            var executor = new InProcessStudyTrials(mine.NewRun, mine.RunOptions(resultsRoot, progress: null));
            using (interrupts.Token.Register(() => workers.ForEach(ChildRnnrunner.Interrupt)))
                outcome = new StudyRunner(executor, Log.Logger, parts.ComparisonCharts(), parts.StudyCharts())
                    .Run(study, options with { ResumeFolder = folder }, interrupts.Token);
            foreach (var worker in workers) worker.WaitForExit();
        }
        catch (Exception e) when (e is ResumeException or StudyException)
        {
            console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (DamagedJournalException e)
        {
            console.Error.WriteLine($"error: {e.Message}; set the damaged line(s) aside and continue with: rnnrunner search {file} --repair");
            return ExitCodes.InvalidInput;
        }
        ResultsIndexPage.TryWrite(resultsRoot, warning => console.Error.WriteLine($"warning: {warning}"));
        return Report(study, outcome, json, console);
    }

    private static LoadedStudy? Load(string file, TextWriter errors)
    {
        try
        {
            var study = StudyLoader.LoadFile(file);
            var baseSpec = Core.Loading.SpecLoader.LoadDocument(study.Base);
            SpecInput.CheckRunnable(baseSpec);
            SpecInput.Warn([baseSpec], errors);
            return study;
        }
        catch (SpecException e)
        {
            SpecInput.Print(e.Errors, errors);
            return null;
        }
    }

    private static int Describe(LoadedStudy study, TextWriter output)
    {
        var search = study.Spec.Search;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{study.Spec.Name}: {search.Trials} trials, {SpecNames.OfVariant(study.SamplerSpec)} sampler (seed {search.Seed}), {StudyReport.ObjectivesText(study)}"));
        foreach (var p in study.Space) output.WriteLine($"  {p.Path,-40} {Describe(p.Distribution)}");
        if (study.Pruner.Describe() is { Length: > 0 } pruning) output.WriteLine($"  {pruning}");
        return ExitCodes.Success;
    }

    private static string Describe(Distribution distribution) => distribution switch
    {
        FloatDistribution f => string.Create(CultureInfo.InvariantCulture, $"{(f.Log ? "log_uniform" : "uniform")} [{f.Low}, {f.High}]"),
        IntDistribution i => string.Create(CultureInfo.InvariantCulture, $"int {i.Low}..{i.High} step {i.Step}{(i.Log ? ", log" : "")}"),
        ChoiceDistribution c => $"choice of {c.Values.Count}: {string.Join(" | ", c.Values.Select(Core.Grids.GridExpander.Flow))}",
        _ => distribution.ToString(),
    };

    /// <summary>A child worker on the same study folder, its output dropped (its trials log to their own folders).</summary>
    private static Process StartWorker(string file, string folder, string resultsRoot, int threads) =>
        ChildRnnrunner.ThisProgram.Start(["search", file, "--resume", folder, "--results", resultsRoot, "--threads", threads.ToString(CultureInfo.InvariantCulture), "-q"]);

    /// <summary>0 when the study is done with a completed trial; 130 when interrupted; 1 when every trial failed.</summary>
    private static int Report(LoadedStudy study, StudyOutcome outcome, bool json, ConsoleStreams console)
    {
        var best = outcome.State.Best(study.Objective);
        var front = study.Objectives.Count > 1 ? outcome.State.ParetoFront(study.Objectives) : null;
        if (json)
            JsonOutput.Write(console.Out, new
            {
                results = outcome.Folder,
                objectives = study.Objectives.Select(o => new { metric = o.Metric, direction = o.Direction }),
                best = best is null ? null : new { trial = best.Name, value = best.Best(study.Objective), settings = best.Settings },
                pareto_front = front?.Select(t => new { trial = t.Name, values = t.ObjectiveValues(study.Objectives), settings = t.Settings }),
                trials = outcome.State.Trials.Select(t => new
                {
                    trial = t.Name, state = t.State.ToString().ToLowerInvariant(), value = t.Best(study.Objective),
                    values = study.Objectives.Count > 1 ? t.ObjectiveValues(study.Objectives) : null, epochs = t.Epochs,
                }),
            });
        else
        {
            console.Out.WriteLine($"Results: {outcome.Folder}");
            if (front is { Count: > 0 })
            {
                console.Out.WriteLine($"Pareto front ({front.Count} trial{(front.Count == 1 ? "" : "s")} no other beats on every objective):");
                foreach (var t in front) console.Out.WriteLine($"  {t.Name}  {StudyReport.ValuesText(study, t)}  ({t.SettingsText()})");
            }
            else if (best is not null)
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Best: {best.Name}, {study.Objective.Metric} {best.Best(study.Objective):G6} ({best.SettingsText()}); its spec: {Path.Combine(outcome.Folder, StudyReport.BestSpecFile)}"));
        }
        if (outcome.Interrupted)
        {
            console.Error.WriteLine("interrupted: run the same study again to continue it (finished trials are kept, interrupted ones resume)");
            return ExitCodes.Interrupted;
        }
        if (best is not null) return ExitCodes.Success;
        console.Error.WriteLine("error: no trial completed; see the trials' summaries in the study folder");
        return ExitCodes.RunFailed;
    }
}
