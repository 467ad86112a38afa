using System.Globalization;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Core.Search;

/// <summary>Reads a study file into a <see cref="LoadedStudy"/>; every mistake is a located <see cref="SpecException"/>.</summary>
public static class StudyLoader
{
    public static LoadedStudy LoadFile(string path) => LoadTree(YamlTreeReader.ReadFile(path), path);

    public static LoadedStudy LoadTree(SpecNode root, string path)
    {
        if (SpecFiles.KindOf(root) != SpecFileKind.Study)
            throw SpecException.At(new SourceMark(path, 0, 0), "is not a study file (a study has 'base:' and 'search:')");
        var (study, map) = SpecBinder.Bind<StudySpec>(root);
        var basePath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, study.Base));
        if (!File.Exists(basePath))
            throw new SpecException([new SpecError(map.MarkOf("base"), "base", $"{study.Base}: no such spec file (relative to the study file)")]);
        var document = YamlTreeReader.ReadDocument(basePath);
        // The fixed settings first: the base every trial starts from, and what its paths and objective are checked on.
        foreach (var (setPath, value) in study.Set)
            document = document with { Root = SpecOverrides.Set(document.Root, setPath, value, map.MarkOf($"set.{setPath}")) };
        var baseSpec = SpecLoader.LoadTree(document.Root, document.Source, document.Text,
            study.Set.Select(s => $"{s.Key}={Grids.GridExpander.Flow(s.Value)}").ToList()).Spec;
        var errors = new List<SpecError>();
        var space = new List<SearchParameter>();
        foreach (var (parameterPath, parameter) in study.Search.Parameters)
        {
            var at = $"search.parameters.{parameterPath}";
            if (Distribution(parameter, out var problem) is { } distribution) space.Add(new SearchParameter(parameterPath, distribution));
            else errors.Add(new SpecError(map.MarkOf(at), at, problem!));
        }
        if (SpecPath.FirstOverlap(study.Search.Parameters.Keys.ToList()) is var (outer, inner))
        {
            var at = $"search.parameters.{inner}";
            errors.Add(new SpecError(map.MarkOf(at), at,
                $"lies inside search.parameters.{outer}, which is also searched; one would overwrite the other, and the report would show values that never trained"));
        }
        if (space.Count == 0 && errors.Count == 0) errors.Add(new SpecError(map.MarkOf("search.parameters"), "search.parameters", "names no parameter to search"));
        var objectives = ObjectivesOf(study.Search, baseSpec.Training, map, errors);
        if (errors.Count > 0) throw new SpecException(errors);
        var loaded = new LoadedStudy(study, path, document, space, objectives[0], baseSpec.Training.Epochs, map) { Objectives = objectives };
        CheckPaths(loaded);
        if (study.Search.Pruner is AshaPrunerSpec { MinEpochs: var min } && min >= loaded.MaxEpochs)
            throw new SpecException([new SpecError(map.MarkOf("search.pruner.min_epochs"), "search.pruner.min_epochs",
                $"{min} is not below the base spec's {loaded.MaxEpochs} epochs: every trial would train in full, with nothing to prune")]);
        if (study.Search.Pruner is ThresholdPrunerSpec { Lower: var lower, Upper: var upper } && (lower is null && upper is null || lower > upper))
            throw new SpecException([new SpecError(map.MarkOf("search.pruner"), "search.pruner",
                lower > upper ? $"lower ({lower}) is above upper ({upper}): every trial would be pruned" : "threshold names neither lower nor upper: nothing would be pruned")]);
        return loaded;
    }

    /// <summary>The parameter's distribution, or null with why it is not one.</summary>
    private static Distribution? Distribution(SearchParameterSpec p, out string? problem)
    {
        problem = null;
        if (p.Type == SearchParameterKind.Choice)
        {
            if (p.Values is { Count: > 0 } values) return new ChoiceDistribution(values);
            problem = "a choice needs values: [...]";
            return null;
        }
        if (p.Values is not null) { problem = $"values: belongs to a choice; a {SpecNames.Of(p.Type)} parameter has low and high"; return null; }
        if (p.Low is not { } low || p.High is not { } high) { problem = $"a {SpecNames.Of(p.Type)} parameter needs low and high"; return null; }
        if (!(low < high)) { problem = string.Create(CultureInfo.InvariantCulture, $"low ({low}) must be below high ({high})"); return null; }
        switch (p.Type)
        {
            case SearchParameterKind.LogUniform when low <= 0:
                problem = string.Create(CultureInfo.InvariantCulture, $"a log_uniform parameter needs low > 0 (it has {low})");
                return null;
            case SearchParameterKind.Int when low != Math.Floor(low) || high != Math.Floor(high):
                problem = "an int parameter needs whole low and high";
                return null;
            case SearchParameterKind.Int when p.Log && (low < 1 || p.Step != 1):
                problem = "an int parameter with log: true needs low ≥ 1 and step 1";
                return null;
            case SearchParameterKind.Int when ((long)high - (long)low) % p.Step != 0:
                problem = string.Create(CultureInfo.InvariantCulture, $"high ({high}) is not low ({low}) plus a whole number of steps ({p.Step})");
                return null;
            case SearchParameterKind.Int:
                return new IntDistribution((long)low, (long)high, p.Step, p.Log);
            default:
                return new FloatDistribution(low, high, p.Type == SearchParameterKind.LogUniform);
        }
    }

    /// <summary>
    /// The objectives: those <c>objectives</c> lists, else the one named by <c>objective</c>, else the base's
    /// early-stopping monitor, else its validation (or training) loss. Several objectives rule out a pruner and TPE.
    /// </summary>
    private static IReadOnlyList<Objective> ObjectivesOf(SearchSpec search, TrainingSpec training, SpecSourceMap map, List<SpecError> errors)
    {
        var logged = MetricKey.Logged(training).Select(k => k.Name).ToList();
        void Error(string at, string message) => errors.Add(new SpecError(map.MarkOf(at), at, message));
        if (search.Objectives is not { } listed)
        {
            var metric = search.Objective ?? training.EarlyStopping?.Monitor ?? MetricKey.Loss(training.ValidationSplit > 0 ? DataSplit.Validation : DataSplit.Train).Name;
            if (!logged.Contains(metric)) Error("search.objective", $"'{metric}' is not logged by the base spec every epoch (it logs {string.Join(", ", logged)})");
            return [new Objective(metric, Maximizes(metric, search.Direction))];
        }
        if (search.Objective is not null || search.Direction != ObjectiveDirection.Auto)
            Error("search.objectives", "give either objectives (a list) or objective/direction, not both");
        if (listed.Count == 0) Error("search.objectives", "names no objective");
        var objectives = listed.Select(o => new Objective(o.Metric, Maximizes(o.Metric, o.Direction))).ToList();
        for (var i = 0; i < objectives.Count; i++)
        {
            var (at, objective) = ($"search.objectives[{i}].metric", objectives[i]);
            if (i == 0 && !objective.IsLogged)
                Error(at, $"the first objective is the one trials report each epoch: a metric the base spec logs ({string.Join(", ", logged)}); put {objective.Metric} second");
            else if (objective.IsLogged && !logged.Contains(objective.Metric))
                Error(at, $"'{objective.Metric}' is neither logged by the base spec every epoch ({string.Join(", ", logged)}) nor {Objective.Parameters} or {Objective.SecondsPerEpoch}");
            else if (objectives.Take(i).Any(o => o.Metric == objective.Metric)) Error(at, $"'{objective.Metric}' is already an objective");
        }
        if (objectives.Count > 1 && search.Pruner is not null)
            Error("search.pruner", "a pruner compares trials on one objective; a study with several objectives runs every trial to the end (remove the pruner)");
        if (objectives.Count > 1 && search.Sampler is TpeSamplerSpec)
            Error("search.sampler", "tpe learns one objective; with several, use nsga2 (the default), random or halton");
        return objectives.Count > 0 ? objectives : [new Objective("val_loss", false)];
    }

    private static bool Maximizes(string metric, ObjectiveDirection direction) => direction switch
    {
        ObjectiveDirection.Maximize => true,
        ObjectiveDirection.Minimize => false,
        _ => metric is not (Objective.Parameters or Objective.SecondsPerEpoch) && MetricKey.Parse(metric).HigherIsBetter,
    };

    /// <summary>
    /// Each parameter set alone on the base at the middle of its range: a path the spec does not have (an unknown
    /// key, a list position it lacks) or that leaves the section above it incomplete (an optimizer without its type,
    /// where the base names none) is the study file's mistake, reported where the study names it. A value the spec
    /// refuses is not: that part of the space is refused when sampled, and resampled.
    /// </summary>
    private static void CheckPaths(LoadedStudy study)
    {
        var errors = new List<SpecError>();
        foreach (var parameter in study.Space)
        {
            var at = $"search.parameters.{parameter.Path}";
            try
            {
                var node = Grids.GridExpander.Flow(LoadedStudy.Node(parameter.Distribution, parameter.Distribution.FromUnit(0.5)));
                var tree = SpecOverrides.Apply(study.Base.Root, [$"{parameter.Path}={node}"]);
                SpecLoader.LoadTree(tree, study.Base.Source, study.Base.Text, []);
            }
            catch (SpecException e)
            {
                errors.AddRange(e.Errors.Where(x => IsAbove(x.Path, parameter.Path) || x.Path == parameter.Path && x.Message.StartsWith("unknown key", StringComparison.Ordinal))
                    .Select(x => x with { Mark = study.Map.MarkOf(at), Path = at, Message = x.Path.Length > 0 && x.Path != parameter.Path ? $"{x.Path}: {x.Message}" : x.Message }));
            }
        }
        if (errors.Count > 0) throw new SpecException(errors.Distinct().ToList());
    }

    /// <summary>Whether an error at <paramref name="errorPath"/> lies above the parameter's path (or is not at a path at all).</summary>
    private static bool IsAbove(string errorPath, string parameterPath) =>
        errorPath.Length == 0 || parameterPath.StartsWith(errorPath + ".", StringComparison.Ordinal) || parameterPath.StartsWith(errorPath + "[", StringComparison.Ordinal);
}
