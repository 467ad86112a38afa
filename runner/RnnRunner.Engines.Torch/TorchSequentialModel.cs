using RnnRunner.Core.Engines;
using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Settings;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Torch.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch;

/// <summary>The spec's layers in order, as one TorchSharp module. Forward returns the final layer's logits.</summary>
internal sealed class TorchSequentialModel : nn.Module
{
    private readonly ModuleList<TorchLayer> _layers;
    private readonly IReadOnlyList<PlannedLayer> _plan;

    public TorchSequentialModel(ModelPlan plan, MaskedRnnPath maskedPath = MaskedRnnPath.Gathers) : base(nameof(TorchSequentialModel))
    {
        _plan = plan.Layers;
        _layers = nn.ModuleList(plan.Layers.Select(l => LayerModules.Create<TorchLayer>(typeof(TorchLayer).Assembly, l)).ToArray());
        foreach (var recurrent in _layers.OfType<RecurrentLayer>()) recurrent.PackedSequences = maskedPath == MaskedRnnPath.Packed;
        // The plan's output activation is applied by the loss (fused, stable) and by Predict, not by the layer.
        if (_layers[^1] is DenseLayer last) last.ApplyActivation = false;
        OutputActivation = plan.OutputActivation;
        RegisterComponents();
    }

    public Activation OutputActivation { get; }

    /// <summary>(B, T) token ids or (B, T, F) features → logits (B, out) or (B, T, out); each layer whose input the plan marks masked gets the mask.</summary>
    public Tensor Forward(Tensor input, TorchMask? mask)
    {
        var x = input;
        for (var i = 0; i < _layers.Count; i++) x = _layers[i].Forward(x, _plan[i].Input.Masked ? mask : null);
        return x;
    }

    public IEnumerable<(string Name, Parameter Parameter)> PortableParameters() =>
        _layers.SelectMany((layer, i) => layer.PortableParameters(_plan[i].Path));

    /// <summary>Each layer with its place in the plan, in order: what the tracer walks one at a time.</summary>
    public IEnumerable<(PlannedLayer Planned, TorchLayer Layer)> Layers => _plan.Zip(_layers);

    /// <summary>Copies weights by portable name into the parameters, once every one is there in its shape.</summary>
    public void LoadWeights(IReadOnlyList<NamedTensor> weights)
    {
        var parameters = PortableParameters().ToList();
        var byName = NamedTensor.Match(parameters.Select(p => (p.Name, (IReadOnlyList<long>)p.Parameter.shape)), weights);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
            parameter.copy_(tensor(byName[name].Values, parameter.shape));
    }
}
