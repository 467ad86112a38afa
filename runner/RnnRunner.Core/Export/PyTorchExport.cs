using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Export;

/// <summary>
/// model.safetensors and model.py: every weight under the name a plain PyTorch module gives it (layer1.weight_ih_l0,
/// layer1.weight_ih_l0_reverse, layer2.weight …), and that module's source, so
/// <c>model.load_state_dict(load_file("model.safetensors"))</c> needs no renaming. The engines keep PyTorch's layout
/// (gate order i, f, g, o and r, z, n; two bias vectors), so weights move across unchanged; only names change.
/// </summary>
public static class PyTorchExport
{
    public const string WeightsName = "model.safetensors";
    public const string ModuleName = "model.py";

    public static void Write(TrainedModel model, string folder)
    {
        using (var stream = File.Create(Path.Combine(folder, WeightsName)))
            Safetensors.Write(stream, StateDict(model.Spec.Plan, model.Weights), new Dictionary<string, string>
            {
                ["format"] = "pt",
                ["producer"] = "RnnRunner",
                ["run"] = model.Run.Id,
            });
        File.WriteAllText(Path.Combine(folder, ModuleName), PyTorchModule.Source(model.Spec.Plan, model.Spec.Spec.Name, model.Run.Id));
    }

    /// <summary>The engines' weights under PyTorch's module names, in the model's order.</summary>
    public static IReadOnlyList<NamedTensor> StateDict(ModelPlan plan, IReadOnlyList<NamedTensor> weights)
    {
        var byName = weights.ToDictionary(w => w.Name);
        return [.. NameMap(plan).Select(m => byName.TryGetValue(m.Engine, out var w) ? w with { Name = m.PyTorch } : throw new ExportException($"the weights have no tensor '{m.Engine}'"))];
    }

    /// <summary>Each engine weight name and the PyTorch name it takes (docs/guide/export.md tabulates them).</summary>
    public static IEnumerable<(string Engine, string PyTorch)> NameMap(ModelPlan plan)
    {
        string[] recurrent = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"];
        for (var i = 0; i < plan.Layers.Count; i++)
        {
            var path = plan.Layers[i].Path;
            var module = PyTorchModule.ModuleName(i);
            switch (plan.Layers[i].Spec)
            {
                case EmbeddingLayerSpec:
                    yield return ($"{path}.embeddings", $"{module}.weight");
                    break;
                case RecurrentLayerSpec:
                    foreach (var part in recurrent) yield return ($"{path}.{part}", $"{module}.{part}_l0");
                    break;
                case BidirectionalLayerSpec:
                    foreach (var part in recurrent) yield return ($"{path}.forward.{part}", $"{module}.{part}_l0");
                    foreach (var part in recurrent) yield return ($"{path}.backward.{part}", $"{module}.{part}_l0_reverse");
                    break;
                case DenseLayerSpec:
                    yield return ($"{path}.weight", $"{module}.weight");
                    yield return ($"{path}.bias", $"{module}.bias");
                    break;
            }
        }
    }
}
