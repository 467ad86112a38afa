using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Storage;
using Serilog;

namespace RnnRunner.Bench;

/// <summary>
/// How long <c>rnnrunner explain</c> takes on IMDB reviews, as a user types it: the IMDB LSTM recipe is trained
/// briefly (the time depends on the model's size and the review's length, not on how well it learnt), then each of
/// a few reviews of the training split is explained on each engine in a new process, start-up, loading the archive
/// and writing the page included. Median of three. Writes docs/EXPLAIN.md and docs/benchmarks/explain.json.
/// </summary>
public sealed class ExplainBenchmark(ChildRnnrunner rnnrunner, string repositoryRoot, string docsFolder, IReadOnlyList<string> overrides)
{
    private const int Repetitions = 3;
    private static readonly int[] Examples = [0, 1, 3, 7, 12];
    private static readonly string[] Engines = ["scratch", "torch"];

    public sealed record Timing(string Engine, int Example, int Words, int PathPoints, double Gap, double Seconds);

    public int Run(string commandLine)
    {
        var started = DateTime.UtcNow;
        Log.Information("Training the IMDB LSTM recipe briefly, to explain...");
        var run = rnnrunner.Train(Path.Combine(repositoryRoot, "experiments", "imdb", "lstm.yaml"), Path.Combine(repositoryRoot, "results", "bench-explain"),
            ["training.epochs=2", "data.limit=6000", .. overrides]);
        var timings = Engines.SelectMany(engine => Examples.Select(example => Time(run, engine, example))).ToList();
        Directory.CreateDirectory(Path.Combine(docsFolder, "benchmarks"));
        AtomicFile.WriteAllText(Path.Combine(docsFolder, "benchmarks", "explain.json"), JsonSerializer.Serialize(
            new { started, machine = MachineInfo.Current(), command = commandLine, run, timings }, RunSummary.JsonOptions));
        AtomicFile.WriteAllText(Path.Combine(docsFolder, "EXPLAIN.md"), Report(commandLine, started, timings));
        Log.Information("Wrote {Report}", Path.Combine(docsFolder, "EXPLAIN.md"));
        return BenchExit.Success;
    }

    private Timing Time(string run, string engine, int example)
    {
        string[] arguments = ["explain", run, "--example", example.ToString(CultureInfo.InvariantCulture), "--engine", engine, "--json"];
        Explain(arguments); // warm-up: the file cache
        var seconds = new List<double>();
        JsonElement saved = default;
        for (var i = 0; i < Repetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            saved = Explain(arguments);
            seconds.Add(watch.Elapsed.TotalSeconds);
        }
        var numbers = JsonDocument.Parse(File.ReadAllText(saved.GetProperty("numbers").GetString()!)).RootElement;
        var gradients = numbers.GetProperty("gradients");
        var timing = new Timing(engine, example, numbers.GetProperty("words").GetArrayLength(), gradients.GetProperty("points").GetInt32(),
            gradients.GetProperty("gap").GetDouble(), seconds.Order().ElementAt(Repetitions / 2));
        Log.Information("{Engine}, example {Example} ({Words} words, {Points} path points): {Seconds:F2} s", engine, example, timing.Words, timing.PathPoints, timing.Seconds);
        return timing;
    }

    private JsonElement Explain(string[] arguments)
    {
        var outcome = rnnrunner.Run(arguments);
        if (outcome.ExitCode != 0) throw new InvalidOperationException($"rnnrunner explain failed: {outcome.Errors}");
        return JsonDocument.Parse(outcome.Output).RootElement;
    }

    private static string Report(string command, DateTime started, IReadOnlyList<Timing> timings)
    {
        var sb = BenchmarkReport.Start("Explaining an IMDB review: how long `rnnrunner explain` takes", started, command);
        sb.AppendLine("`rnnrunner explain <run> --example N` on the IMDB LSTM recipe (`experiments/imdb/lstm.yaml`: Embedding(10000, 32) →");
        sb.AppendLine("LSTM(32) → Dense(1, sigmoid), reviews padded to 500 steps), trained two epochs on 6,000 reviews first (the time");
        sb.AppendLine("depends on the model's size and the review's length, not on its accuracy). Each line: a new process as a user");
        sb.AppendLine("types it — .NET start-up, reading the run and the IMDB archive, the trace, the prediction after every word (one");
        sb.AppendLine("prefix per word), occlusion (one rerun per word), integrated gradients (path points added until complete to 1 %),");
        sb.AppendLine($"writing the page and its JSON. Median of {Repetitions} after one warm-up.");
        sb.AppendLine();
        sb.AppendLine("| engine | review | words | IG path points | IG completeness gap | seconds |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var t in timings)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {t.Engine} | example {t.Example} | {t.Words} | {t.PathPoints} | {t.Gap * 100:0.00} % | {t.Seconds:F2} |"));
        sb.AppendLine();
        foreach (var engine in Engines)
        {
            var mine = timings.Where(t => t.Engine == engine).ToList();
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"- {engine}: {mine.Min(t => t.Seconds):F2}–{mine.Max(t => t.Seconds):F2} s for {mine.Min(t => t.Words)}–{mine.Max(t => t.Words)}-word reviews."));
        }
        sb.AppendLine();
        sb.AppendLine("Target (issue #32): under 2 s for an IMDB LSTM review on 2 cores. The torch engine's extra time is loading libtorch.");
        return sb.ToString();
    }
}
