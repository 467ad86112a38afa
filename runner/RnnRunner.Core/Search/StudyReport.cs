using System.Globalization;
using RnnRunner.Core.Comparisons;
using RnnRunner.Core.Reports;
using RnnRunner.Core.Results;
using RnnRunner.Core.Storage;

namespace RnnRunner.Core.Search;

/// <summary>One trial as the study's charts show it.</summary>
/// <param name="Values">The parameters' values (a choice's index), in the space's order.</param>
/// <param name="Value">The objective's best epoch (raw), or null when it has none.</param>
public sealed record StudyChartTrial(int Number, TrialState State, IReadOnlyList<double> Values, double? Value, int Epochs);

/// <summary>What the study charts need: the trials, the space (for axes: log scales, choice labels), the objective and ASHA's rungs.</summary>
public sealed record StudyChartData(IReadOnlyList<StudyChartTrial> Trials, IReadOnlyList<SearchParameter> Space, Objective Objective,
    IReadOnlyList<int>? Rungs);

/// <summary>Draws a study's own charts; implemented with ScottPlot in RnnRunner.Plotting.</summary>
public interface IStudyChartWriter
{
    IReadOnlyList<ComparisonChart> Write(string folder, StudyChartData study);
}

/// <summary>
/// A study's report, by the grids' report machinery: report.html and comparison.csv/.md over every trial with a
/// summary, best first (its parameters are the columns that vary), led by the study's own charts; and
/// trials.csv: every trial's number, state, objective, epochs and parameter values, for scripts.
/// </summary>
public static class StudyReport
{
    public const string TrialsFile = "trials.csv";

    /// <summary>The best trial's resolved spec, named after the study, ready to <c>run</c> with more epochs or seeds.</summary>
    public const string BestSpecFile = "best.yaml";

    public static Comparison Write(string folder, LoadedStudy study, StudyState state, IComparisonChartWriter? charts, IStudyChartWriter? studyCharts)
    {
        var objective = study.Objective;
        var ranked = state.Trials.OrderBy(t => t.State == TrialState.Completed ? 0 : 1)
            .ThenBy(t => t.Best(objective) is { } v ? objective.Oriented(v) : double.PositiveInfinity).ThenBy(t => t.Number).ToList();
        WriteTrials(folder, study, ranked);
        WriteBestSpec(folder, study, state);
        var runs = ranked.Select(t => (Trial: t, Folder: StudyRunner.TrialFolder(folder, t)))
            .Where(t => RunSummary.TryRead(RunFolder.At(t.Folder).Summary, out _) is not null)
            .Select(t => new ComparedRun(t.Trial.Name, t.Trial.Name, t.Folder, RunSummary.Read(RunFolder.At(t.Folder).Summary), RunSettings.Read(t.Folder)))
            .ToList();
        var data = new StudyChartData(state.Trials.Select(t => new StudyChartTrial(t.Number, t.State, t.Point.Values, t.Best(objective), t.Epochs)).ToList(),
            study.Space, objective, study.Rungs?.Epochs);
        var leading = studyCharts?.Write(new GridFolder(folder).Charts, data) ?? [];
        return ComparisonReport.Write(folder, Header(study, state) with { Findings = [.. ImportanceTable(study, state)] }, runs, charts, leading);
    }

    /// <summary>Which hyperparameter mattered (PED-ANOVA over the completed trials), as the report's first finding; none with too few trials.</summary>
    private static IEnumerable<ReportTable> ImportanceTable(LoadedStudy study, StudyState state)
    {
        var completed = state.Trials.Where(t => t.State == TrialState.Completed && t.Best(study.Objective) is not null)
            .Select(t => (t.Point, study.Objective.Oriented(t.Best(study.Objective)!.Value))).ToList();
        var importance = ParameterImportance.Of(study.Space, completed);
        if (importance.Count == 0)
        {
            var why = string.Create(CultureInfo.InvariantCulture,
                $"Too few completed trials ({completed.Count}) to tell: PED-ANOVA compares the best 10 % of at least {ParameterImportance.MinimumTrials} completed trials with all of them.");
            yield return new ReportTable("Which setting mattered", why + " Raise trials (under a pruner, about one in reduction_factor completes).", [], []);
            yield break;
        }
        yield return new ReportTable("Which setting mattered",
            string.Create(CultureInfo.InvariantCulture, $"PED-ANOVA (Watanabe et al. 2023, as optuna-dashboard computes it) over the {completed.Count} completed trials: ")
            + "how differently each setting's values are spread among the best 10 % than among all trials, as a share of the total. "
            + "A large share: the best trials agree on that setting. Pruned trials are left out (their scores are at a smaller budget).",
            ["setting", "share of importance"],
            [.. importance.Select(i => (IReadOnlyList<string>)[i.Path, i.Share.ToString("P0", CultureInfo.InvariantCulture)])]);
    }

    private static ReportHeader Header(LoadedStudy study, StudyState state)
    {
        var best = state.Best(study.Objective);
        var counts = string.Join(", ", state.Trials.GroupBy(t => t.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        return new ReportHeader($"Study {study.Spec.Name}",
            (study.Spec.Description.Length > 0 ? study.Spec.Description.Trim() + " " : "")
            + $"{state.Trials.Count} of {study.Spec.Search.Trials} trials ({counts}; {state.Refused} samples refused by the spec), "
            + $"{Specs.SpecNames.OfVariant(study.Spec.Search.Sampler)} sampler, {study.Objective.Direction} {study.Objective.Metric}. "
            + (best is null ? "No trial has completed yet." : string.Create(CultureInfo.InvariantCulture,
                $"Best: {best.Name}, {study.Objective.Metric} {best.Best(study.Objective):G6} ({best.SettingsText(" = ")}; ties go to the earliest trial); "
                + $"its spec is {BestSpecFile} in this folder.")));
    }

    /// <summary>
    /// best.yaml: the best trial's spec as it ran (every sampled value, every fixed setting), renamed after the study,
    /// with a comment saying where it came from and how to run it further. Rewritten as the best trial changes.
    /// </summary>
    private static void WriteBestSpec(string folder, LoadedStudy study, StudyState state)
    {
        if (state.Best(study.Objective) is not { } best) return;
        var resolved = RunFolder.At(StudyRunner.TrialFolder(folder, best)).SpecResolved;
        if (!File.Exists(resolved)) return;
        var (spec, _) = Specs.Schema.SpecBinder.Bind<Specs.ExperimentSpec>(Specs.Yaml.YamlTreeReader.ReadDocument(resolved).Root);
        var header = string.Create(CultureInfo.InvariantCulture,
            $"# The best trial of study {study.Spec.Name}: {best.Name}, {study.Objective.Metric} {best.Best(study.Objective):G6}\n"
            + $"# ({best.SettingsText()}). Train it again, longer or over seeds:\n"
            + $"#   ./rnnrunner run {BestSpecFile} --set training.epochs={spec.Training.Epochs * 2}\n");
        AtomicFile.WriteAllText(Path.Combine(folder, BestSpecFile), header + Specs.SpecWriter.ToYaml(spec with { Name = $"{study.Spec.Name}-best" }));
    }

    private static void WriteTrials(string folder, LoadedStudy study, IReadOnlyList<StudyTrial> ranked)
    {
        var header = string.Join(",", ["trial", "state", study.Objective.Metric, "epochs", .. study.Space.Select(p => Csv(p.Path))]);
        var rows = ranked.Select(t => string.Join(",", [t.Name, t.State.ToString().ToLowerInvariant(),
            t.Best(study.Objective)?.ToString("R", CultureInfo.InvariantCulture) ?? "", t.Epochs.ToString(CultureInfo.InvariantCulture),
            .. study.Space.Select(p => Csv(t.Settings.GetValueOrDefault(p.Path) ?? ""))]));
        AtomicFile.WriteAllText(Path.Combine(folder, TrialsFile), string.Join("\n", [header, .. rows]) + "\n");
    }

    private static string Csv(string value)
    {
        var safe = CsvCell.Safe(value);
        return safe.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{safe.Replace("\"", "\"\"")}\"" : safe;
    }
}
