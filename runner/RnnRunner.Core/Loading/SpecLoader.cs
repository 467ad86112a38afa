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

    /// <summary>One clear line instead of an unknown-key error for each of a grid file's keys.</summary>
    private static SpecNode RefuseGrid(SpecNode root, string source) => SpecFiles.KindOf(root) == SpecFileKind.Grid
        ? throw SpecException.At(new SourceMark(source, 0, 0), $"is a grid file (it has 'base:'), not an experiment spec; run it with: rnnrunner grid {source}")
        : root;

    /// <summary>Binds and validates a YAML tree that already has its overrides applied (recorded in <paramref name="overrides"/>).</summary>
    public static LoadedSpec LoadTree(SpecNode root, string source, string text, IReadOnlyList<string> overrides)
    {
        var (spec, map) = SpecBinder.Bind<ExperimentSpec>(root);
        var (data, plan, errors) = Validate(spec);
        if (errors.Count > 0)
            throw new SpecException(errors.Select(e => new SpecError(map.MarkOf(e.Path), e.Path, e.Message)).ToList());
        return new LoadedSpec(spec, source, text, overrides, data!, plan!, map);
    }

    /// <summary>Cross-field checks on a bound spec; paths in the result are spec paths.</summary>
    public static (DataSignature? Data, ModelPlan? Plan, List<PlanError> Errors) Validate(ExperimentSpec spec)
    {
        var errors = new List<PlanError>();
        if (!RunName().IsMatch(spec.Name))
            errors.Add(new PlanError("name", $"'{spec.Name}' cannot name a results folder: use letters, digits, '-', '_' and '.'"));

        // Data that cannot be read (a wrong path, a class that is not there) comes first and alone: the model checked
        // against a signature guessed from it would only add errors that are not the user's.
        var dataErrors = spec.Data switch
        {
            TextDataSpec text => CheckText(text).ToList(),
            TimeseriesDataSpec series => CheckTimeseries(series, spec.Training.ValidationSplit).ToList(),
            _ => [],
        };
        errors.AddRange(dataErrors);
        var data = DataSources.For(spec.Data).Describe();
        ModelPlan? plan = null;
        if (dataErrors.Count == 0)
        {
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
        return (data, plan, errors);
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

    /// <summary>
    /// The data path exists and is a folder or a regular file; for a text folder, its layout holds the classes. Keras
    /// lets reserved ids collide silently; a reserved id that is also a word id corrupts the data.
    /// </summary>
    private static IEnumerable<PlanError> CheckText(TextDataSpec imdb)
    {
        // Checked here, not when loading starts, so a wrong path is an invalid spec (exit 2, no results folder).
        var path = imdb switch { ImdbDataSpec i => i.Path, TextFolderDataSpec f => f.Path, TableDataSpec t => t.Path, NumpyDataSpec n => n.Path, _ => null };
        if (path is not null && !File.Exists(path) && !Directory.Exists(path))
            yield return new PlanError("data.path", $"{path}: no such file or folder (relative paths start from {Environment.CurrentDirectory})");
        else if (path is not null && File.Exists(path) && new FileInfo(path).Length == 0)
            // /dev/zero, a pipe or a FIFO report no length: reading one would never end.
            yield return new PlanError("data.path", $"{path}: is empty or not a regular file (a device or a pipe?); give the archive or the extracted folder");
        else if (imdb is TextFolderDataSpec folder && LayoutProblem(folder) is { } problem)
            yield return new PlanError(problem.Path, problem.Message);
        else if (imdb is TableDataSpec table && TableProblem(table) is { } tableProblem)
            yield return tableProblem;
        else if (imdb is NumpyDataSpec arrays && NumpyProblem(arrays) is { } arraysProblem)
            yield return new PlanError("data.path", arraysProblem);
        if (imdb.NumWords <= imdb.IndexFrom + 1)
            yield return new PlanError("data.num_words",
                $"{imdb.NumWords} leaves no word ids: word ids start at index_from + 1 = {imdb.IndexFrom + 1}");
        foreach (var (name, value) in new[] { ("start_char", imdb.StartChar), ("oov_char", imdb.OovChar) })
        {
            if (value is { } id && (id > imdb.IndexFrom || id == 0))
                yield return new PlanError($"data.{name}",
                    $"{id} {(id == 0 ? "is the padding id" : $"collides with word ids (they start at index_from + 1 = {imdb.IndexFrom + 1})")}; use an id from 1 to index_from");
        }
        if (imdb.StartChar is { } s && s == imdb.OovChar)
            yield return new PlanError("data.oov_char", "is the same id as start_char");
    }

    /// <summary>The series is there, numeric in every column it names, and long enough for a window in every part.</summary>
    private static IEnumerable<PlanError> CheckTimeseries(TimeseriesDataSpec series, double validationSplit)
    {
        if (!File.Exists(series.Path))
        {
            yield return new PlanError("data.path", $"{series.Path}: no such file (relative paths start from {Environment.CurrentDirectory})");
            yield break;
        }
        var source = new Data.Timeseries.TimeseriesSource(series, validationSplit);
        Data.Timeseries.SeriesTable? table = null;
        string? unreadable = null;
        try { table = source.Read(); }
        catch (DatasetException e) { unreadable = e.Message; }
        if (unreadable is not null) yield return new PlanError("data.path", unreadable);
        else if (source.WindowProblem(table!.Rows) is { } tooShort) yield return new PlanError("data.sequence_length", tooShort);
    }

    /// <summary>Why the arrays cannot be read as examples (missing, of another dtype, of unequal lengths, a bad id or class), or null.</summary>
    private static string? NumpyProblem(NumpyDataSpec arrays)
    {
        try
        {
            new Data.Numpy.NumpySource(arrays).Load(0, CancellationToken.None);
            return null;
        }
        catch (DatasetException e)
        {
            return e.Message;
        }
    }

    /// <summary>Why a table cannot give labelled examples (its columns as the spec names them, every row read), or null.</summary>
    private static PlanError? TableProblem(TableDataSpec table)
    {
        if ((table.TextColumn is null) == (table.SequenceColumn is null))
            return new PlanError("data.text_column", "give one of text_column (texts to tokenise) or sequence_column (token ids), not "
                + (table.TextColumn is null ? "neither" : "both"));
        if (table.TestPath is { } test && !File.Exists(test))
            return new PlanError("data.test_path", $"{test}: no such file (relative paths start from {Environment.CurrentDirectory})");
        try
        {
            Data.Table.TableSource.Inspect(table);
            return null;
        }
        catch (DatasetException e)
        {
            return new PlanError(table.TestPath is { } t && e.Message.StartsWith(t, StringComparison.Ordinal) ? "data.test_path" : "data.path", e.Message);
        }
    }

    /// <summary>Why a text folder cannot be read as labelled classes (no classes, a missing one, a damaged archive), or null.</summary>
    private static PlanError? LayoutProblem(TextFolderDataSpec folder)
    {
        Data.TextFolder.TextFolderLayout layout;
        try
        {
            layout = Data.TextFolder.TextFolderLayout.Inspect(folder.Path, classes: null);
        }
        catch (DatasetException e)
        {
            return new PlanError("data.path", e.Message);
        }
        return folder.Classes is { } classes && layout.ClassesProblem(classes) is { } problem
            ? new PlanError("data.classes", $"{folder.Path} {problem}")
            : null;
    }
}

