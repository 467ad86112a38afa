using System.Text.Json;
using System.Text.Json.Serialization;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Core.Running;

/// <summary>
/// A finished run's spec and model plan, to rebuild its model for predict and evaluate. The plan comes from the
/// data signature the run recorded (data-signature.json), so the run's own data need not be there any more — a run
/// folder copied to another machine still predicts. Runs older than that file are loaded as a spec is.
/// </summary>
public static class TrainedSpec
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    public static string SignatureJson(DataSignature signature) => JsonSerializer.Serialize(signature, Json);

    /// <summary>The run's spec and plan; a folder without its resolved spec and weights is not a completed run.</summary>
    public static LoadedSpec Load(RunFolder folder)
    {
        foreach (var required in new[] { folder.SpecResolved, folder.Weights })
            if (!File.Exists(required)) throw new DatasetException($"{folder.Path}: no {Path.GetFileName(required)} here; is this a completed run folder?");
        if (!File.Exists(folder.DataSignature)) return SpecLoader.LoadFile(folder.SpecResolved);
        DataSignature signature;
        try
        {
            signature = JsonSerializer.Deserialize<DataSignature>(File.ReadAllText(folder.DataSignature), Json)
                ?? throw new InvalidDataException("empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{folder.DataSignature}: not a data signature ({e.Message.Split(". ")[0]})", e);
        }
        var document = YamlTreeReader.ReadDocument(folder.SpecResolved);
        var (spec, marks) = SpecBinder.Bind<ExperimentSpec>(document.Root);
        var (plan, errors) = ModelPlanner.Plan(spec, signature);
        if (plan is null || errors.Count > 0)
            throw new SpecException(errors.Select(e => new SpecError(marks.MarkOf(e.Path), e.Path, e.Message)).ToList());
        return new LoadedSpec(spec, folder.SpecResolved, document.Text, [], signature, plan, marks);
    }

    /// <summary>The run's model on the CPU with its saved weights (disposed again if they cannot be loaded).</summary>
    public static ITrainableModel BuildModel(LoadedSpec run, RunFolder folder, EngineCatalog engines)
    {
        var model = engines.For(run.Spec.Engine).Build(run.Plan, run.Spec.Training, DeviceKind.Cpu, run.Spec.Seed);
        try
        {
            model.SetWeights(WeightsFile.Load(folder.Weights));
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }
}
