using System.Diagnostics;
using System.Globalization;
using RnnRunner.Core.Grids;
using RnnRunner.Core.Search;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Cli.Commands.Submit;

/// <summary>
/// <c>rnnrunner submit slurm</c>: checks a grid or study, writes its job-array script and report script into its
/// results folder, and submits both with <c>sbatch</c> — the report job depending on the whole array
/// (<c>afterany</c>). A grid's tasks are its shards, N fixed in the script, so any subset of task ids can be
/// resubmitted; a study's tasks are workers sharing its journal. Nothing is submitted when the file is invalid (exit 2).
/// </summary>
public static class SubmitCommand
{
    public sealed record Request(string File, int? Tasks, int? Throttle, int CpusPerTask, string? Time, string? Partition, string? Account,
        IReadOnlyList<string> SbatchArguments, bool DryRun, string ResultsRoot, bool Json);

    public static int Execute(Request request, ConsoleStreams console)
    {
        if (request.Tasks is < 1 || request.Throttle is < 1 || request.CpusPerTask < 1)
        {
            console.Error.WriteLine("error: --tasks, --throttle and --cpus-per-task take positive numbers");
            return ExitCodes.InvalidInput;
        }
        if (UnsafeValue(request) is { } unsafeValue)
        {
            console.Error.WriteLine($"error: {unsafeValue}");
            return ExitCodes.InvalidInput;
        }
        SlurmTime? time = null;
        if (request.Time is { } text && !SlurmTime.TryParse(text, out time))
        {
            console.Error.WriteLine($"error: --time {text}: not a Slurm time limit (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS or UNLIMITED)");
            return ExitCodes.InvalidInput;
        }
        SlurmSubmission submission;
        try
        {
            var document = YamlTreeReader.ReadDocument(request.File);
            submission = SpecFiles.KindOf(document.Root) switch
            {
                SpecFileKind.Grid => ForGrid(GridExpander.LoadTree(document.Root, request.File), request, time),
                SpecFileKind.Study => ForStudy(StudyLoader.LoadTree(document.Root, request.File), request, time),
                _ => throw SpecException.At(new SourceMark(request.File, 0, 0),
                    $"is an experiment spec; submit a grid or study file (a single run: sbatch --wrap \"rnnrunner run {request.File}\")"),
            };
        }
        catch (SpecException e)
        {
            SpecInput.Print(e.Errors, console.Error);
            return ExitCodes.InvalidInput;
        }
        var (array, report) = (SlurmScripts.Array(submission), SlurmScripts.Report(submission));
        if (request.DryRun)
        {
            console.Out.Write($"# {Path.Combine(submission.Folder, "slurm", "array.sbatch")}\n{array}\n# {Path.Combine(submission.Folder, "slurm", "report.sbatch")}\n{report}");
            return ExitCodes.Success;
        }
        return Submit(submission, array, report, request.Json, console);
    }

    /// <summary>The first value of the request that cannot be written into a job script, checked before anything is written.</summary>
    private static string? UnsafeValue(Request r) =>
        new[]
        {
            SlurmScripts.Unsafe("--partition", r.Partition ?? "", directive: true),
            SlurmScripts.Unsafe("--account", r.Account ?? "", directive: true),
            SlurmScripts.Unsafe("--results", r.ResultsRoot, directive: false),
            SlurmScripts.Unsafe("the grid or study file", r.File, directive: false),
            SlurmScripts.Unsafe("the working folder", Environment.CurrentDirectory, directive: false),
        }.Concat(r.SbatchArguments.Select(a => SlurmScripts.Unsafe("--sbatch-arg", a, directive: false))).FirstOrDefault(p => p is not null);

    private static string Rnnrunner => SlurmScripts.Quote(Environment.ProcessPath!);

    private static SlurmSubmission ForGrid(ExpandedGrid grid, Request r, SlurmTime? time)
    {
        foreach (var trial in grid.Trials) SpecInput.CheckRunnable(trial.Spec);
        var tasks = Math.Min(r.Tasks ?? grid.Trials.Count, grid.Trials.Count); // a task beyond the trials would have nothing to do
        var folder = GridRunner.SharedFolderPath(grid, r.ResultsRoot);
        var (file, results) = (SlurmScripts.Quote(Path.GetFullPath(r.File)), SlurmScripts.Quote(Path.GetFullPath(r.ResultsRoot)));
        return Submission(grid.Spec.Name, folder, tasks, r, time,
            string.Create(CultureInfo.InvariantCulture,
                $"{Rnnrunner} grid {file} --shard \"${{SLURM_ARRAY_TASK_ID}}/{tasks}\" --no-report --results {results} --threads \"${{SLURM_CPUS_PER_TASK:-1}}\""),
            $"{Rnnrunner} compare {SlurmScripts.Quote(folder)} --results {results}");
    }

    private static SlurmSubmission ForStudy(LoadedStudy study, Request r, SlurmTime? time)
    {
        SpecInput.CheckRunnable(Core.Loading.SpecLoader.LoadDocument(study.Base));
        var tasks = Math.Min(r.Tasks ?? Math.Min(study.Spec.Search.Trials, 4), study.Spec.Search.Trials);
        // The folder is chosen now (the latest of this study, else a new one), so every worker and the report job name it.
        var folder = r.DryRun ? Path.Combine(Path.GetFullPath(r.ResultsRoot), study.Spec.Name, "<NNN-timestamp, chosen when submitted>")
            : StudyRunner.Prepare(study, new StudyOptions(r.ResultsRoot));
        var (file, results, at) = (SlurmScripts.Quote(Path.GetFullPath(r.File)), SlurmScripts.Quote(Path.GetFullPath(r.ResultsRoot)), SlurmScripts.Quote(folder));
        return Submission(study.Spec.Name, folder, tasks, r, time,
            $"{Rnnrunner} search {file} --resume {at} --no-report --results {results} --threads \"${{SLURM_CPUS_PER_TASK:-1}}\"",
            $"{Rnnrunner} search {file} --resume {at} --report-only --results {results}");
    }

    private static SlurmSubmission Submission(string name, string folder, int tasks, Request r, SlurmTime? time, string task, string report) =>
        new(name, folder, Environment.CurrentDirectory, tasks, r.Throttle, r.CpusPerTask, time, r.Partition, r.Account, r.SbatchArguments, task, report);

    /// <summary>Writes the scripts into the folder and submits the array, then the report job after it.</summary>
    private static int Submit(SlurmSubmission submission, string array, string report, bool json, ConsoleStreams console)
    {
        var slurm = Path.Combine(submission.Folder, "slurm");
        Directory.CreateDirectory(slurm);
        var (arrayScript, reportScript) = (Path.Combine(slurm, "array.sbatch"), Path.Combine(slurm, "report.sbatch"));
        Core.Storage.AtomicFile.WriteAllText(arrayScript, array);
        Core.Storage.AtomicFile.WriteAllText(reportScript, report);
        if (Sbatch([arrayScript], console.Error) is not { } arrayJob) return ExitCodes.RunFailed;
        if (Sbatch([$"--dependency=afterany:{arrayJob}", reportScript], console.Error) is not { } reportJob)
        {
            console.Error.WriteLine($"error: the array job {arrayJob} was submitted, but not its report job; once it ends, run: rnnrunner compare {submission.Folder}");
            return ExitCodes.RunFailed;
        }
        if (json) JsonOutput.Write(console.Out, new { results = submission.Folder, array_job = arrayJob, report_job = reportJob, tasks = submission.Tasks });
        else
        {
            console.Out.WriteLine($"Submitted array job {arrayJob} ({submission.Tasks} tasks) and report job {reportJob} (after the array ends)");
            console.Out.WriteLine($"Results: {submission.Folder}");
            console.Out.WriteLine($"Follow: rnnrunner status {SlurmScripts.Quote(submission.Folder)}   (task logs in {slurm})");
        }
        return ExitCodes.Success;
    }

    /// <summary>The job id sbatch printed (<c>--parsable</c>: "id" or "id;cluster"), or null after printing why it failed.</summary>
    private static string? Sbatch(IReadOnlyList<string> arguments, TextWriter errors)
    {
        var start = new ProcessStartInfo("sbatch") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--parsable" }.Concat(arguments)) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode == 0 && stdout.Trim().Split(';')[0] is { Length: > 0 } id) return id;
            errors.WriteLine($"error: sbatch {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {stderr.Result.Trim()}");
            return null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            errors.WriteLine("error: sbatch not found: is Slurm installed on this machine (or on PATH)?");
            return null;
        }
    }
}
