using System.Globalization;
using RnnRunner.Core.Data;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;
using RnnRunner.Core.Specs.Yaml;
using RnnRunner.Core.Storage;

namespace RnnRunner.Cli.Commands.Evaluate;

/// <summary><c>rnnrunner evaluate</c>: a trained run's metrics on a split of its own data or of other data, saved in the run folder.</summary>
public static class EvaluateCommand
{
    public static int Execute(string runFolder, string? dataFile, DataSplit split, bool json, TextWriter stdout, TextWriter errors, Composition parts)
    {
        RunFolder folder;
        DataSpec? data = null;
        try
        {
            folder = RunFolder.Open(runFolder);
            if (dataFile is not null) data = ReadData(folder, dataFile);
        }
        catch (SpecException e)
        {
            SpecInput.Print(e.Errors, errors);
            return ExitCodes.InvalidInput;
        }
        catch (DirectoryNotFoundException e)
        {
            errors.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        try
        {
            using var engines = parts.Engines();
            var evaluation = RunEvaluator.Evaluate(folder, engines, data, split);
            var saved = RunEvaluator.Save(folder, evaluation);
            if (evaluation.Classes is { } classes && evaluation.Confusion is { } matrix)
                parts.ConfusionCharts().Write(Path.GetDirectoryName(saved)!, Path.GetFileNameWithoutExtension(saved) + "-confusion", classes, matrix);
            if (json) JsonOutput.Write(stdout, new { results = saved, evaluation });
            else stdout.WriteLine($"{Line(evaluation)}\nSaved: {saved}");
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is DatasetException or InvalidDataException or DamagedFileException or SpecException)
        {
            errors.WriteLine($"error: {e.Message.Split(Environment.NewLine)[0]}");
            return ExitCodes.InvalidInput;
        }
    }

    /// <summary>
    /// The data section of <paramref name="dataFile"/> (a file holding <c>data:</c>, or the section alone) put into
    /// the run's resolved spec and checked as a spec is: an error names the data file's line and column.
    /// </summary>
    private static DataSpec ReadData(RunFolder folder, string dataFile)
    {
        var document = YamlTreeReader.ReadDocument(dataFile);
        var section = document.Root is MappingNode root && root.Find("data") is { } entry ? entry.Value : document.Root;
        var run = YamlTreeReader.ReadFile(folder.SpecResolved);
        var tree = SpecOverrides.Set(run, "data", section, section.Mark);
        var (spec, marks) = SpecBinder.Bind<ExperimentSpec>(tree);
        // The data's own problems, located in the data file; whether they fit the model is the evaluator's to say.
        var (_, _, _, errors) = SpecLoader.Validate(spec);
        var dataErrors = errors.Where(e => e.Path.StartsWith("data", StringComparison.Ordinal)).ToList();
        if (dataErrors.Count > 0) throw new SpecException(dataErrors.Select(e => new SpecError(marks.MarkOf(e.Path), e.Path, e.Message)).ToList());
        return spec.Data;
    }

    private static string Line(Evaluation e) => string.Create(CultureInfo.InvariantCulture,
        $"{e.Dataset}, {e.Split} split, {e.Examples:N0} examples: {string.Join("  ", e.Metrics.Select(m => $"{m.Key} {m.Value:F4}"))}");
}
