using System.Globalization;
using System.Text;

namespace RnnRunner.Cli.Commands.Submit;

/// <summary>What the scripts of a submission need: the job, its array, the allocation asked for, and the two commands.</summary>
/// <param name="Tasks">Array tasks (a grid: its shards; a study: its workers).</param>
/// <param name="Throttle">At most this many tasks at once (<c>%K</c>), or null for no limit.</param>
/// <param name="TaskCommand">One task's command line; <c>$SLURM_ARRAY_TASK_ID</c> and <c>$SLURM_CPUS_PER_TASK</c> are the shell's.</param>
/// <param name="ReportCommand">The report job's command line.</param>
public sealed record SlurmSubmission(string Name, string Folder, string WorkingDirectory, int Tasks, int? Throttle, int CpusPerTask,
    SlurmTime? Time, string? Partition, string? Account, IReadOnlyList<string> ExtraArguments, string TaskCommand, string ReportCommand);

/// <summary>
/// The job-array script and the report script of a submission, written into the grid's or study's folder. Each task
/// logs to <c>slurm/&lt;array&gt;_&lt;task&gt;.out</c> in the folder, appending (a requeued task keeps its history);
/// is requeueable; and gets SIGTERM two minutes before its time limit (a quarter of a limit under eight minutes), which — the task's command being the job's
/// process (<c>exec</c>) — stops training at the next batch with every finished epoch checkpointed, exit 130.
/// </summary>
public static class SlurmScripts
{
    public static string Array(SlurmSubmission s)
    {
        var sb = Header(s.Name, s);
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"#SBATCH --array=1-{s.Tasks}{(s.Throttle is { } k ? $"%{k}" : "")}"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={s.CpusPerTask}"));
        sb.AppendLine($"#SBATCH --output={Path.Combine(s.Folder, "slurm", "%A_%a.out")}");
        sb.AppendLine("#SBATCH --open-mode=append");
        sb.AppendLine("#SBATCH --requeue");
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"#SBATCH --signal=B:TERM@{s.Time?.SignalLeadSeconds ?? (int)SlurmTime.LongestLead.TotalSeconds}"));
        if (s.Time is { } time) sb.AppendLine($"#SBATCH --time={time.Text}");
        foreach (var extra in s.ExtraArguments) sb.AppendLine($"#SBATCH {extra}");
        return Body(sb, s, s.TaskCommand);
    }

    /// <summary>The report job: run once the whole array has ended (<c>--dependency=afterany</c>, given when submitted).</summary>
    public static string Report(SlurmSubmission s)
    {
        var sb = Header($"{s.Name}-report", s);
        sb.AppendLine("#SBATCH --cpus-per-task=1");
        sb.AppendLine($"#SBATCH --output={Path.Combine(s.Folder, "slurm", "report-%j.out")}");
        sb.AppendLine("#SBATCH --open-mode=append");
        if (s.Time is { } time) sb.AppendLine($"#SBATCH --time={time.Text}");
        return Body(sb, s, s.ReportCommand);
    }

    private static StringBuilder Header(string name, SlurmSubmission s)
    {
        var sb = new StringBuilder();
        sb.AppendLine("#!/bin/bash");
        sb.AppendLine($"# Written by rnnrunner submit slurm for {s.Folder}");
        sb.AppendLine($"#SBATCH --job-name={name}");
        if (s.Partition is { } partition) sb.AppendLine($"#SBATCH --partition={partition}");
        if (s.Account is { } account) sb.AppendLine($"#SBATCH --account={account}");
        return sb;
    }

    private static string Body(StringBuilder sb, SlurmSubmission s, string command)
    {
        sb.AppendLine("set -euo pipefail");
        sb.AppendLine($"cd {Quote(s.WorkingDirectory)}");
        sb.AppendLine($"exec {command}");
        return sb.ToString();
    }

    /// <summary>
    /// Why a value cannot go into a script, or null when it can. A control character — above all a newline — would end
    /// a <c>#SBATCH</c> line and start a shell command (and sbatch ignores every <c>#SBATCH</c> line after a command); an
    /// <c>#SBATCH</c> value (<paramref name="directive"/>) cannot be quoted, so it may not hold spaces either.
    /// </summary>
    public static string? Unsafe(string option, string value, bool directive)
    {
        if (value.Any(char.IsControl))
            return $"{option} {Core.Reports.TerminalText.Escape(value)}: holds a control character (a newline would start a command in the job script)";
        if (directive && value.Any(char.IsWhiteSpace))
            return $"{option} '{value}': holds a space, which an #SBATCH line cannot quote";
        return null;
    }

    /// <summary>A word for bash: single-quoted unless it is plainly safe.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+=:,@%".Contains(c)) ? word : $"'{word.Replace("'", "'\\''")}'";
}
