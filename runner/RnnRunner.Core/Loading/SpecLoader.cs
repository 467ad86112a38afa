using System.Text.RegularExpressions;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Core.Loading;

/// <summary>A spec that has passed every check, with the model plan inferred from it.</summary>
/// <param name="SourcePath">The file it came from.</param>
/// <param name="SourceText">The file as written (saved verbatim in the run folder).</param>
/// <param name="Marks">Where each spec path was written, for errors found after loading (memory, the engine).</param>
public sealed record LoadedSpec(ExperimentSpec Spec, string SourcePath, string SourceText,
    IReadOnlyList<string> Overrides, DataSignature Data, ModelPlan Plan, SpecSourceMap Marks);

/// <summary>
/// Load → override → bind → validate. Stage one (binding) checks each value on its own; stage two checks
/// values against each other and infers shapes. Every error of a stage is reported together.
/// </summary>
public static partial class SpecLoader
{
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
    private static partial Regex RunName();

    /// <summary>
    /// Refuses a valid spec that cannot fit in <paramref name="availableBytes"/> (this machine's free memory by
    /// default), before anything is allocated, naming the estimate.
    /// </summary>
    public static void CheckMemory(LoadedSpec loaded, double? availableBytes = null)
    {
        var available = availableBytes ?? MemoryEstimate.AvailableBytes();
        if (available is not { } free) return;
        var estimate = MemoryEstimate.For(loaded.Plan, loaded.Spec);
        if (estimate.TotalBytes <= free) return;
        throw new SpecException([new SpecError(loaded.Marks.MarkOf("model"), "model",
            $"training needs {estimate.Describe()} but this machine has {Sizes.Bytes(free)} available; "
            + "reduce units, batch_size, the sequence length or the vocabulary")]);
    }

    public static LoadedSpec LoadFile(string path, IReadOnlyList<string>? overrides = null) =>
        LoadDocument(YamlTreeReader.ReadDocument(path), overrides);

    public static LoadedSpec LoadDocument(SpecDocument document, IReadOnlyList<string>? overrides = null) =>
        LoadTree(SpecOverrides.Apply(RefuseGrid(document.Root, document.Source), overrides ?? []), document.Source, document.Text, overrides ?? []);

    public static LoadedSpec LoadText(string text, string source, IReadOnlyList<string>? overrides = null) =>
        LoadTree(SpecOverrides.Apply(RefuseGrid(YamlTreeReader.ReadText(text, source), source), overrides ?? []), source, text, overrides ?? []);

    /// <summary>One clear line instead of an unknown-key error for each of a grid or study file's keys.</summary>
    private static SpecNode RefuseGrid(SpecNode root, string source) => SpecFiles.KindOf(root) switch
    {
        SpecFileKind.Grid => throw SpecException.At(new SourceMark(source, 0, 0), $"is a grid file (it has 'base:'), not an experiment spec; run it with: rnnrunner grid {source}"),
        SpecFileKind.Study => throw SpecException.At(new SourceMark(source, 0, 0), $"is a study file (it has 'base:' and 'search:'), not an experiment spec; run it with: rnnrunner search {source}"),
        _ => root,
    };

    /// <summary>Binds and validates a YAML tree that already has its overrides applied (recorded in <paramref name="overrides"/>).</summary>
    public static LoadedSpec LoadTree(SpecNode root, string source, string text, IReadOnlyList<string> overrides)
    {
        var (spec, map) = SpecBinder.Bind<ExperimentSpec>(root);
        var (settled, data, plan, errors) = Validate(spec);
        if (errors.Count > 0)
            throw new SpecException(errors.Select(e => new SpecError(map.MarkOf(e.Path), e.Path, e.Message)).ToList());
        return new LoadedSpec(settled, source, text, overrides, data!, plan!, map);
    }

    /// <summary>
    /// Reads something of the data for validation. Whatever the files hold, a fault in them is an error at data.path
    /// (exit 2, nothing written), never an "unexpected" exception: a source's own checks may miss a way its files break.
    /// </summary>
    private static T? DataRead<T>(Func<T> read, out PlanError? problem) where T : class
    {
        problem = null;
        try
        {
            return read();
        }
        catch (Exception e) when (e is DatasetException or IOException or UnauthorizedAccessException or InvalidDataException or FormatException or CsvHelper.CsvHelperException
                                       or OverflowException or OutOfMemoryException or System.Text.Json.JsonException)
        {
            problem = new PlanError("data.path", e.Message.Split(Environment.NewLine)[0]);
            return null;
        }
    }

    /// <summary>
    /// Cross-field checks on a bound spec; paths in the result are spec paths. The spec comes back with what it left to
    /// the data settled (<c>input_dim: auto</c>), as the run records and trains it.
    /// </summary>
    public static (ExperimentSpec Spec, DataSignature? Data, ModelPlan? Plan, List<PlanError> Errors) Validate(ExperimentSpec spec)
    {
        var errors = new List<PlanError>();
        if (!RunName().IsMatch(spec.Name))
            errors.Add(new PlanError("name", $"'{spec.Name}' cannot name a results folder: use letters, digits, '-', '_' and '.'"));

        // Data that cannot be read (a wrong path, a class that is not there) comes first and alone: the model checked
        // against a signature guessed from it would only add errors that are not the user's.
        var source = DataSources.For(spec.Data, validationSplit: spec.Training.ValidationSplit);
        var dataErrors = DataRead(() => source.Problems().Select(p => new PlanError(p.Path, p.Message)).ToList(), out var problem) ?? [problem!];
        var data = DataRead(source.Describe, out var describeProblem);
        if (data is null && dataErrors.Count == 0) dataErrors.Add(describeProblem!);
        errors.AddRange(dataErrors);
        ModelPlan? plan = null;
        if (dataErrors.Count == 0 && data is not null)
        {
            spec = SettleAuto(spec, data, errors);
            (plan, var planErrors) = ModelPlanner.Plan(spec, data);
            errors.AddRange(planErrors);
        }

        var training = spec.Training;
        if (training.Metrics.Distinct().Count() != training.Metrics.Count)
            errors.Add(new PlanError("training.metrics", "lists a metric twice"));
        if (training.EarlyStopping is { } stopping && MonitorProblem(training, stopping.Monitor) is { } stoppingProblem)
            errors.Add(new PlanError("training.early_stopping.monitor", stoppingProblem));
        if (training.ReduceLrOnPlateau is { } plateau && MonitorProblem(training, plateau.Monitor) is { } plateauProblem)
            errors.Add(new PlanError("training.reduce_lr_on_plateau.monitor", plateauProblem));
        if (spec.Data is SyntheticDataSpec synthetic && training.ValidationSplit > 0 &&
            synthetic.TrainSamples - (int)Math.Round(synthetic.TrainSamples * training.ValidationSplit) < 1)
            errors.Add(new PlanError("training.validation_split", "leaves no training examples"));
        return (spec, data, plan, errors);
    }

    /// <summary>Each embedding's <c>input_dim: auto</c> set to the data's vocabulary (an error for data that are not token ids).</summary>
    private static ExperimentSpec SettleAuto(ExperimentSpec spec, DataSignature data, List<PlanError> errors)
    {
        var model = spec.Model.Select((layer, i) => layer switch
        {
            EmbeddingLayerSpec { InputDim: null } e when data.Input == InputKind.Tokens => e with { InputDim = data.InputWidth },
            EmbeddingLayerSpec { InputDim: null } e => Refuse(e, i),
            _ => layer,
        }).ToList();
        return spec with { Model = model };

        LayerSpec Refuse(EmbeddingLayerSpec e, int index)
        {
            errors.Add(new PlanError($"model[{index}].input_dim", "auto takes the vocabulary of token-id data; these data are real-valued features"));
            return e with { InputDim = 1 };
        }
    }

    /// <summary>Why <paramref name="monitor"/> cannot be watched in this run, or null when it can.</summary>
    private static string? MonitorProblem(TrainingSpec training, string monitor)
    {
        var logged = MetricKey.Logged(training).Select(k => k.Name).ToList();
        if (logged.Contains(monitor)) return null;
        var hint = MetricKey.Parse(monitor).Split == DataSplit.Validation && training.ValidationSplit == 0
            ? "; validation metrics need training.validation_split > 0"
            : Naming.DidYouMean(monitor, logged);
        return $"'{monitor}' is not logged by this run (logged: {string.Join(", ", logged)}){hint}";
    }
}
