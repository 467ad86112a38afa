using System.Globalization;
using RnnRunner.Core.Comparisons;
using RnnRunner.Core.Reports;
using RnnRunner.Core.Results;
using RnnRunner.Core.Storage;

namespace RnnRunner.Core.Search;

/// <summary>One trial as the study's charts show it.</summary>
/// <param name="Values">The parameters' values (a choice's index), in the space's order.</param>
/// <param name="Value">The objective's best epoch (raw), or null when it has none.</param>
/// <param name="Reported">The objective after each epoch it finished (raw), for charts that compare trials at the same budget.</param>
/// <param name="Objectives">Every objective's raw value (a multi-objective study's completed trial), else null.</param>
/// <param name="OnFront">Whether it is on the Pareto front (no completed trial beats it on every objective).</param>
public sealed record StudyChartTrial(int Number, TrialState State, IReadOnlyList<double> Values, double? Value, int Epochs,
    IReadOnlyDictionary<int, double> Reported, IReadOnlyList<double>? Objectives = null, bool OnFront = false);

/// <summary>What the study charts need: the trials, the space (for axes: log scales, choice labels), the objectives and ASHA's rungs.</summary>
public sealed record StudyChartData(IReadOnlyList<StudyChartTrial> Trials, IReadOnlyList<SearchParameter> Space, IReadOnlyList<Objective> Objectives,
    IReadOnlyList<int>? Rungs)
{
    /// <summary>The objective trials report each epoch, that ranks them.</summary>
    public Objective Objective => Objectives[0];
}

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
        var front = study.Objectives.Count > 1 ? state.ParetoFront(study.Objectives) : [];
        var data = new StudyChartData(state.Trials.Select(t => new StudyChartTrial(t.Number, t.State, t.Point.Values, t.Best(objective), t.Epochs,
                new Dictionary<int, double>(t.Reported), study.Objectives.Count > 1 ? t.ObjectiveValues(study.Objectives) : null, front.Contains(t))).ToList(),
            study.Space, study.Objectives, study.Rungs?.Epochs);
        var leading = studyCharts?.Write(new GridFolder(folder).Charts, data) ?? [];
        return ComparisonReport.Write(folder, Header(study, state) with { Findings = [.. FrontTable(study, front), .. ImportanceTable(study, state)] },
            runs, charts, leading);
    }

    /// <summary>The objectives as one phrase: "maximize val_accuracy", or "maximize val_accuracy and minimize parameters (a Pareto search)".</summary>
    public static string ObjectivesText(LoadedStudy study) => Directions(study) + (study.Objectives.Count > 1 ? " (a Pareto search)" : "");

    private static string Directions(LoadedStudy study) => string.Join(" and ", study.Objectives.Select(o => $"{o.Direction} {o.Metric}"));

    /// <summary>A trial's objective values for people: "val_accuracy 0.9825, parameters 1,249".</summary>
    public static string ValuesText(LoadedStudy study, StudyTrial trial) =>
        trial.ObjectiveValues(study.Objectives) is { } values ? string.Join(", ", study.Objectives.Select((o, i) => $"{o.Metric} {o.Format(values[i])}")) : "no values";

    /// <summary>A multi-objective study's answer, as the report's first finding: the Pareto front, best first objective first.</summary>
    private static IEnumerable<ReportTable> FrontTable(LoadedStudy study, IReadOnlyList<StudyTrial> front)
    {
        if (study.Objectives.Count < 2) yield break;
        yield return new ReportTable("Pareto front",
            $"The completed trials no other completed trial beats on every objective ({Directions(study)}): each is a best trade-off, "
            + $"none is simply better. In order of {study.Objective.Metric}.",
            ["trial", .. study.Objectives.Select(o => $"{o.Metric} ({o.Direction})"), "settings"],
            [.. front.Select(t => (IReadOnlyList<string>)[t.Name, .. t.ObjectiveValues(study.Objectives)!.Select((v, i) => study.Objectives[i].Format(v)), t.SettingsText(" = ")])]);
    }

    /// <summary>
    /// Which hyperparameter mattered (PED-ANOVA), as a report finding: over the completed trials, each at its best;
    /// where a pruner left too few of those, over the trials that trained to the deepest budget enough of them
    /// reached, each scored within that budget — never a pruned trial's one-epoch score beside a finished one's.
    /// </summary>
    private static IEnumerable<ReportTable> ImportanceTable(LoadedStudy study, StudyState state)
    {
        var (scored, budget) = ImportanceSample(study, state);
        var importance = ParameterImportance.Of(study.Space, scored);
        if (importance.Count == 0)
        {
            var completed = state.Trials.Count(t => t.State == TrialState.Completed);
            var why = string.Create(CultureInfo.InvariantCulture,
                $"Too few trials to tell ({completed} completed): PED-ANOVA compares the best 10 % of at least {ParameterImportance.MinimumTrials} trials scored at one budget with all of them.");
            yield return new ReportTable("Which setting mattered", why + " Raise trials.", [], []);
            yield break;
        }
        var over = budget is { } epochs
            ? string.Create(CultureInfo.InvariantCulture, $"over the {scored.Count} trials that trained at least {Epochs(epochs)} (too few completed), each scored by its best {study.Objective.Metric} within {Epochs(epochs)}: ")
            : string.Create(CultureInfo.InvariantCulture, $"over the {scored.Count} completed trials' {study.Objective.Metric}: ");
        yield return new ReportTable("Which setting mattered",
            "PED-ANOVA (Watanabe et al. 2023, as optuna-dashboard computes it) " + over
            + "how differently each setting's values are spread among the best 10 % than among all of them, as a share of the total. "
            + "A large share: the best trials agree on that setting.",
            ["setting", "share of importance"],
            [.. importance.Select(i => (IReadOnlyList<string>)[i.Path, i.Share.ToString("P0", CultureInfo.InvariantCulture)])]);
    }

    private static string Epochs(int n) => string.Create(CultureInfo.InvariantCulture, $"{n} epoch{(n == 1 ? "" : "s")}");

    /// <summary>The trials importance is computed over, oriented, and the budget in epochs they are scored at (null: completed, at their best).</summary>
    private static (List<(ParameterPoint Point, double Oriented)> Scored, int? Budget) ImportanceSample(LoadedStudy study, StudyState state)
    {
        var objective = study.Objective;
        var completed = state.Trials.Where(t => t.State == TrialState.Completed && t.Best(objective) is not null)
            .Select(t => (t.Point, objective.Oriented(t.Best(objective)!.Value))).ToList();
        if (completed.Count >= ParameterImportance.MinimumTrials) return (completed, null);
        var reached = state.Trials.Where(t => t.State != TrialState.Failed && t.Epochs > 0).ToList();
        foreach (var epochs in reached.Select(t => t.Epochs).Distinct().OrderDescending())
        {
            var deep = reached.Where(t => t.Epochs >= epochs || t.State == TrialState.Completed).ToList();
            if (deep.Count >= ParameterImportance.MinimumTrials)
                return ([.. deep.Select(t => (t.Point, t.BestUpTo(epochs, objective)!.Value))], epochs);
        }
        return (completed, null);
    }

    private static ReportHeader Header(LoadedStudy study, StudyState state)
    {
        var best = state.Best(study.Objective);
        var counts = string.Join(", ", state.Trials.GroupBy(t => t.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));
        return new ReportHeader($"Study {study.Spec.Name}",
            (study.Spec.Description.Length > 0 ? study.Spec.Description.Trim() + " " : "")
            + $"{state.Trials.Count} of {study.Spec.Search.Trials} trials ({counts}; {state.Refused} samples refused by the spec), "
            + $"{Specs.SpecNames.OfVariant(study.SamplerSpec)} sampler, {ObjectivesText(study)}. "
            + (best is null ? "No trial has completed yet." : string.Create(CultureInfo.InvariantCulture,
                $"Best{(study.Objectives.Count > 1 ? $" by {study.Objective.Metric} alone" : "")}: {best.Name}, {study.Objective.Metric} {best.Best(study.Objective):G6} ({best.SettingsText(" = ")}; ties go to the earliest trial); "
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
        var more = study.Objectives.Skip(1).ToList();
        var header = string.Join(",", ["trial", "state", study.Objective.Metric, .. more.Select(o => Csv(o.Metric)), "epochs", .. study.Space.Select(p => Csv(p.Path))]);
        var rows = ranked.Select(t => string.Join(",", [t.Name, t.State.ToString().ToLowerInvariant(),
            t.Best(study.Objective)?.ToString("R", CultureInfo.InvariantCulture) ?? "",
            .. more.Select((_, i) => t.ObjectiveValues(study.Objectives)?[i + 1].ToString("R", CultureInfo.InvariantCulture) ?? ""),
            t.Epochs.ToString(CultureInfo.InvariantCulture),
            .. study.Space.Select(p => Csv(t.Settings.GetValueOrDefault(p.Path) ?? ""))]));
        AtomicFile.WriteAllText(Path.Combine(folder, TrialsFile), string.Join("\n", [header, .. rows]) + "\n");
    }

    private static string Csv(string value)
    {
        var safe = CsvCell.Safe(value);
        return safe.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{safe.Replace("\"", "\"\"")}\"" : safe;
    }
}
