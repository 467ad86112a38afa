using RnnRunner.Core.Grids;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Cli.Commands.Validate;

/// <summary>Checks experiment specs and grid files (every trial a grid expands to) without running anything.</summary>
public static class ValidateCommand
{
    private sealed record Result(string File, string Kind, bool Valid, int? Layers, long? Parameters, int? Trials,
        IReadOnlyList<JsonOutput.ErrorJson> Errors);

    public static int Execute(IReadOnlyList<string> specs, IReadOnlyList<string> overrides, bool json, TextWriter output, TextWriter errors)
    {
        var results = specs.Select(path => Check(path, overrides, errors)).ToList();
        if (json) JsonOutput.Write(output, results);
        else
            foreach (var r in results.Where(r => r.Valid))
                output.WriteLine(r.Trials is { } trials
                    ? r.Kind == "study" ? $"{r.File}: ok (study of {trials} trial{(trials == 1 ? "" : "s")}; its base spec and parameters valid)"
                    : $"{r.File}: ok (grid of {trials} trial{(trials == 1 ? "" : "s")}, each valid)"
                    : $"{r.File}: ok ({r.Layers} layers, {r.Parameters:N0} parameters)");
        return results.All(r => r.Valid) ? ExitCodes.Success : ExitCodes.InvalidInput;
    }

    private static Result Check(string path, IReadOnlyList<string> overrides, TextWriter errors)
    {
        SpecDocument? document = null;
        if (path != BuiltInExperiments.DefaultName)
        {
            try
            {
                document = YamlTreeReader.ReadDocument(path);
            }
            catch (SpecException e)
            {
                return Failed(path, "spec", e.Errors, errors);
            }
        }
        return document is null ? CheckSpec(path, document, overrides, errors) : SpecFiles.KindOf(document.Root) switch
        {
            SpecFileKind.Grid => CheckGrid(document, overrides, errors),
            SpecFileKind.Study => CheckStudy(document, overrides, errors),
            _ => CheckSpec(path, document, overrides, errors),
        };
    }

    private static Result CheckSpec(string path, SpecDocument? document, IReadOnlyList<string> overrides, TextWriter errors)
    {
        var loaded = SpecInput.TryLoad(path, document, overrides, errors, out var problems);
        return new Result(path, "spec", loaded is not null, loaded?.Plan.Layers.Count, loaded?.Plan.TorchParameters, null,
            problems.Select(JsonOutput.ErrorJson.From).ToList());
    }

    private static Result CheckGrid(SpecDocument document, IReadOnlyList<string> overrides, TextWriter errors)
    {
        if (overrides.Count > 0)
            return Failed(document.Source, "grid", [new SpecError(new SourceMark(document.Source, 0, 0), "",
                "--set applies to experiment specs; a grid's trials are set by its axes, variants and seeds")], errors);
        try
        {
            var grid = GridExpander.LoadTree(document.Root, document.Source);
            foreach (var trial in grid.Trials) SpecInput.CheckRunnable(trial.Spec);
            SpecInput.Warn(grid.Trials.Select(t => t.Spec), errors);
            return new Result(document.Source, "grid", true, null, null, grid.Trials.Count, []);
        }
        catch (SpecException e)
        {
            return Failed(document.Source, "grid", e.Errors, errors);
        }
    }

    /// <summary>A study: its base spec, every parameter (its path on the base, its distribution) and its objective.</summary>
    private static Result CheckStudy(SpecDocument document, IReadOnlyList<string> overrides, TextWriter errors)
    {
        if (overrides.Count > 0)
            return Failed(document.Source, "study", [new SpecError(new SourceMark(document.Source, 0, 0), "",
                "--set applies to experiment specs; a study's trials are set by its search parameters")], errors);
        try
        {
            var study = Core.Search.StudyLoader.LoadTree(document.Root, document.Source);
            var baseSpec = Core.Loading.SpecLoader.LoadDocument(study.Base);
            SpecInput.CheckRunnable(baseSpec);
            SpecInput.Warn([baseSpec], errors);
            return new Result(document.Source, "study", true, null, null, study.Spec.Search.Trials, []);
        }
        catch (SpecException e)
        {
            return Failed(document.Source, "study", e.Errors, errors);
        }
    }

    private static Result Failed(string path, string kind, IReadOnlyList<SpecError> problems, TextWriter errors)
    {
        SpecInput.Print(problems, errors);
        return new Result(path, kind, false, null, null, null, problems.Select(JsonOutput.ErrorJson.From).ToList());
    }
}
