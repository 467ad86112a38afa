using System.Diagnostics;
using System.Globalization;
using System.Text;
using RnnRunner.Core.Running;
using RnnRunner.Core.Search;
using RnnRunner.Core.Storage;
using Serilog;

namespace RnnRunner.Bench;

/// <summary>
/// docs/SEARCH.md: the samplers on synthetic objectives (<see cref="SamplerBenchmark"/>), importance recovered on one whose
/// answer is known, NSGA-II on ZDT1/ZDT2 beside Optuna's (<see cref="ParetoBenchmark"/>); ASHA against a full random
/// search on a basics task (the same sampled points, real training); and a study killed with SIGKILL at random
/// moments, rerun each time, against the same study left alone.
/// </summary>
public sealed class SearchBenchmark(ChildRnnrunner rnnrunner, string docsFolder, IReadOnlyList<string> optunaFiles)
{
    private const int Kills = 20;

    public int Run(string commandLine)
    {
        var started = DateTime.UtcNow;
        var root = Directory.CreateTempSubdirectory("rnnrunner-search-bench-").FullName;
        try
        {
            var sb = BenchmarkReport.Start("Search: samplers, ASHA and resume", started, commandLine);
            sb.Append(SamplerBenchmark.Section()).AppendLine();
            sb.Append(SamplerBenchmark.ImportanceSection()).AppendLine();
            sb.Append(ParetoBenchmark.Section(optunaFiles)).AppendLine();
            sb.Append(AshaSection(root)).AppendLine();
            sb.Append(ResumeSection(root));
            var report = Path.Combine(docsFolder, "SEARCH.md");
            AtomicFile.WriteAllText(report, sb.ToString());
            Log.Information("Wrote {Report}", report);
            return BenchExit.Success;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The sine-forecast task on the scratch engine, 9 epochs; the study searches its learning rate and units.</summary>
    private static string WriteStudy(string folder, string name, string sampler, int trials, string? pruner)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "base.yaml"), """
            name: sine
            engine: scratch
            seed: 42
            data: {dataset: noisy_sine, noise: 0.1, sequence_length: 40, train_samples: 1000, test_samples: 200}
            model: [{type: lstm, units: 32, return_sequences: true}, {type: dense, units: 1}]
            training: {epochs: 9, batch_size: 32, optimizer: {type: adam, learning_rate: 0.01}, loss: mse, metrics: [mae], validation_split: 0.2}
            """);
        var path = Path.Combine(folder, $"{name}.yaml");
        File.WriteAllText(path, $"""
            name: {name}
            base: base.yaml
            search:
              sampler: {sampler}
              trials: {trials}
              seed: 11
              objective: val_loss
              parameters:
                training.optimizer.learning_rate: {"{"}type: log_uniform, low: 0.0001, high: 0.1{"}"}
                model[0].units: {"{"}type: int, low: 4, high: 48, step: 4{"}"}
            {(pruner is null ? "" : $"  pruner: {pruner}\n")}
            """);
        return path;
    }

    private sealed record StudyResult(string Best, double Value, int Epochs, double Seconds);

    /// <summary>Runs a study to its end in a child process and reads its journal.</summary>
    private StudyResult RunStudy(string file, string results)
    {
        var clock = Stopwatch.StartNew();
        using (var process = Search(file, results)) process.WaitForExit();
        var folder = Directory.GetDirectories(Path.Combine(results, Path.GetFileNameWithoutExtension(file))).Single(d => File.Exists(Path.Combine(d, StudyManifest.FileName)));
        var records = new StudyJournal(folder).Read();
        var state = StudyState.Replay(records);
        var objective = new Objective("val_loss", false);
        var best = state.Best(objective) ?? throw new InvalidOperationException($"{file}: no trial completed");
        return new StudyResult(best.Name, best.Best(objective)!.Value, records.Count(r => r.Event == JournalEvent.Reported), clock.Elapsed.TotalSeconds);
    }

    private Process Search(string file, string results) => rnnrunner.Start(["search", file, "--results", results, "-q"]);

    private string AshaSection(string root)
    {
        var full = RunStudy(WriteStudy(Path.Combine(root, "full"), "random-full", "random", 27, null), Path.Combine(root, "full-results"));
        var asha = RunStudy(WriteStudy(Path.Combine(root, "asha"), "random-asha", "random", 27, "{type: asha, min_epochs: 1, reduction_factor: 3}"),
            Path.Combine(root, "asha-results"));
        Log.Information("ASHA: best val_loss {Asha:G5} in {AshaEpochs} epochs; full random search {Full:G5} in {FullEpochs}", asha.Value, asha.Epochs, full.Value, full.Epochs);
        var sb = new StringBuilder();
        sb.AppendLine("## ASHA against a full random search");
        sb.AppendLine();
        sb.AppendLine("The noisy-sine forecasting task (LSTM, scratch engine, 1,000 series, 9 epochs), its learning rate (log-uniform on");
        sb.AppendLine("[1e-4, 0.1]) and units (4..48) searched by the random sampler with one seed, so both studies sample the same 27");
        sb.AppendLine("points: once with every trial trained for all 9 epochs, once with ASHA (rungs at 1, 3 and 9 epochs, the top third");
        sb.AppendLine("promoted, each promotion continuing from its checkpoint). Epochs are every epoch trained, counted from the journals.");
        sb.AppendLine();
        sb.AppendLine("| study | best trial | best val_loss | epochs trained | wall time (s) |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var (name, r) in new[] { ("random, every trial in full", full), ("random + ASHA", asha) })
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {r.Best} | {r.Value:G5} | {r.Epochs} | {r.Seconds:F0} |"));
        sb.AppendLine();
        var gap = 100 * (asha.Value - full.Value) / full.Value;
        var share = 100.0 * asha.Epochs / full.Epochs;
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"ASHA's best is {gap:+0.0;-0.0} % from the full search's, at {share:F0} % of its epochs (target, issue #17: within 1 % at ≤ 35 %)."));
        return sb.ToString();
    }

    /// <summary>
    /// The same TPE + ASHA study twice: left alone, and killed with SIGKILL at random moments (0.5 to 4 s after each
    /// start, the process start-up included) and rerun, until <see cref="Kills"/> kills; then run to its end.
    /// </summary>
    private string ResumeSection(string root)
    {
        var alone = RunStudy(WriteStudy(Path.Combine(root, "alone"), "tpe-asha", "tpe", 30, "{type: asha, min_epochs: 1, reduction_factor: 3}"),
            Path.Combine(root, "alone-results"));
        var file = WriteStudy(Path.Combine(root, "killed"), "tpe-asha", "tpe", 30, "{type: asha, min_epochs: 1, reduction_factor: 3}");
        var results = Path.Combine(root, "killed-results");
        var random = new Random(17);
        var (kills, parsedEveryTime) = (0, true);
        while (kills < Kills)
        {
            using var process = Search(file, results);
            if (process.WaitForExit(TimeSpan.FromSeconds(0.5 + 2 * random.NextDouble()))) break; // it finished first
            process.Kill();
            process.WaitForExit();
            kills++;
            var folder = Directory.Exists(Path.Combine(results, "tpe-asha"))
                ? Directory.GetDirectories(Path.Combine(results, "tpe-asha")).FirstOrDefault(d => File.Exists(Path.Combine(d, StudyJournal.FileName)))
                : null;
            try { if (folder is not null) new StudyJournal(folder).Read(); }
            catch (InvalidDataException) { parsedEveryTime = false; }
        }
        var killed = RunStudy(file, results);
        var journal = new StudyJournal(Directory.GetDirectories(Path.Combine(results, "tpe-asha")).Single(d => File.Exists(Path.Combine(d, StudyJournal.FileName)))).Read();
        var retrained = journal.Where(r => r.Event == JournalEvent.Reported).GroupBy(r => (r.Trial, r.Epoch)).Count(g => g.Count() > 1);
        Log.Information("Resume: {Kills} kills; best {Killed} {Value:G6} against {Alone} {AloneValue:G6} left alone; {Retrained} epochs reported twice",
            kills, killed.Best, killed.Value, alone.Best, alone.Value, retrained);
        var sb = new StringBuilder();
        sb.AppendLine("## Killed and rerun");
        sb.AppendLine();
        sb.AppendLine("A TPE + ASHA study of 30 trials on the same task, run twice: left alone, and killed with SIGKILL at random moments");
        sb.AppendLine("(0.5 to 2.5 s after each start, .NET start-up included) and started again each time, then run to its end.");
        sb.AppendLine();
        sb.AppendLine("| | left alone | killed and rerun |");
        sb.AppendLine("|---|---|---|");
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| kills | 0 | {kills} |"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| best trial | {alone.Best} | {killed.Best} |"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| best val_loss | {alone.Value:R} | {killed.Value:R} |"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| epochs trained (reported) | {alone.Epochs} | {killed.Epochs} |"));
        sb.AppendLine($"| journal parsed after every kill | – | {(parsedEveryTime ? "yes" : "no")} |");
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| a trial's epoch reported twice (trained again past its checkpoint) | – | {retrained} times |"));
        sb.AppendLine();
        sb.AppendLine("Target (issue #17): the journal always parses, no trial is trained twice, and the final best equals the");
        sb.AppendLine("uninterrupted study's.");
        return sb.ToString();
    }
}
