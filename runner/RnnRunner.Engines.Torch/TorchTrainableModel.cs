using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Torch.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch;

/// <summary>
/// A TorchSharp model with its loss and optimizer. Each step runs inside a dispose scope so native memory is
/// released batch by batch and stays flat across epochs.
/// </summary>
internal sealed class TorchTrainableModel : ITrainableModel
{
    private readonly TorchSequentialModel _model;
    private readonly OptimizerHelper _optimizer;
    private readonly TrainingSpec _training;
    private readonly DataSignature _data;
    private readonly Device _device;
    private readonly IReadOnlyList<(string Name, Parameter Parameter)> _parameters;

    public TorchTrainableModel(ModelPlan plan, TrainingSpec training, Device device, int seed)
    {
        _training = training;
        _data = plan.Data;
        _device = device;
        _model = new TorchSequentialModel(plan);
        _model.to(device);
        _parameters = _model.PortableParameters().ToList();
        SetWeights(InitialWeights.For(plan, seed)); // the same starting point as the scratch engine
        _optimizer = CreateOptimizer(training.Optimizer, _model.parameters());
    }

    public double LearningRate
    {
        get => _optimizer.ParamGroups.First().LearningRate;
        set
        {
            foreach (var group in _optimizer.ParamGroups) group.LearningRate = value;
        }
    }

    private static OptimizerHelper CreateOptimizer(OptimizerSpec spec, IEnumerable<Parameter> parameters) => spec switch
    {
        SgdOptimizerSpec s => optim.SGD(parameters, s.LearningRate, momentum: s.Momentum, nesterov: s.Nesterov),
        // Keras' rho is libtorch's alpha; the update rule is the same.
        RmsPropOptimizerSpec r => optim.RMSProp(parameters, r.LearningRate, alpha: r.Rho, eps: r.Epsilon, momentum: r.Momentum),
        AdamOptimizerSpec a => optim.Adam(parameters, a.LearningRate, beta1: a.Beta1, beta2: a.Beta2, eps: a.Epsilon),
        _ => throw new ArgumentOutOfRangeException(nameof(spec)),
    };

    public BatchResult TrainStep(Batch batch)
    {
        using var scope = NewDisposeScope();
        _model.train();
        _optimizer.zero_grad();
        var logits = _model.call(Inputs(batch));
        var loss = Loss(logits, batch);
        loss.backward();
        if (_training.ClipGradNorm is { } maxNorm)
            nn.utils.clip_grad_norm_(_model.parameters(), maxNorm);
        _optimizer.step();
        return Result(loss, logits);
    }

    public BatchResult Evaluate(Batch batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _model.eval();
        var logits = _model.call(Inputs(batch));
        return Result(Loss(logits, batch), logits);
    }

    public ReadOnlyMemory<float> Predict(Batch batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _model.eval();
        return DenseLayer.Activate(_model.call(Inputs(batch)), _model.OutputActivation).cpu().data<float>().ToArray();
    }

    private BatchResult Result(Tensor loss, Tensor logits)
    {
        var outputs = DenseLayer.Activate(logits, _model.OutputActivation).detach().cpu();
        return new BatchResult(loss.item<float>(), outputs.data<float>().ToArray());
    }

    private Tensor Inputs(Batch batch)
    {
        var s = _data;
        return s.Input == InputKind.Tokens
            ? tensor(batch.TokenIds.ToArray(), [batch.Count, s.Steps], device: _device)
            : tensor(batch.InputFeatures.ToArray(), [batch.Count, s.Steps, s.InputWidth], device: _device);
    }

    /// <summary>Mean loss over every target (every time step for sequence targets), from logits.</summary>
    private Tensor Loss(Tensor logits, Batch batch)
    {
        var s = _data;
        switch (_training.Loss)
        {
            case LossKind.BinaryCrossentropy:
                var labels = tensor(batch.TargetLabels.ToArray(), device: _device).to(ScalarType.Float32);
                return nn.functional.binary_cross_entropy_with_logits(logits.reshape(-1), labels);
            case LossKind.CategoricalCrossentropy:
                var classes = tensor(batch.TargetLabels.ToArray(), device: _device).to(ScalarType.Int64);
                return nn.functional.cross_entropy(logits.reshape(-1, s.TargetWidth), classes);
            default:
                var predictions = DenseLayer.Activate(logits, _model.OutputActivation);
                var targets = s.IsClassification
                    ? nn.functional.one_hot(tensor(batch.TargetLabels.ToArray(), device: _device).to(ScalarType.Int64), s.TargetWidth).to(ScalarType.Float32)
                    : tensor(batch.TargetValues.ToArray(), device: _device);
                return nn.functional.mse_loss(predictions.reshape(-1), targets.reshape(-1));
        }
    }

    public IReadOnlyList<NamedTensor> GetWeights() =>
        _parameters.Select(p => new NamedTensor(p.Name, p.Parameter.shape.Select(d => (int)d).ToArray(),
            p.Parameter.detach().cpu().data<float>().ToArray())).ToList();

    public void SetWeights(IReadOnlyList<NamedTensor> weights)
    {
        var byName = NamedTensor.Match(_parameters.Select(p => (p.Name, (IReadOnlyList<long>)p.Parameter.shape)), weights);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in _parameters)
            parameter.copy_(tensor(byName[name].Values, parameter.shape));
    }

    public void SaveTrainingState(Stream stream)
    {
        WeightsFile.Write(stream, GetWeights());
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        _optimizer.save_state_dict(writer);
        // Dropout masks come from libtorch's global generator: save it so a resumed run draws the same masks.
        using var rng = random.get_rng_state();
        var bytes = rng.data<byte>().ToArray();
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    public void LoadTrainingState(Stream stream)
    {
        SetWeights(WeightsFile.Read(stream, "checkpoint"));
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        _optimizer.load_state_dict(reader);
        var bytes = reader.ReadBytes(reader.ReadInt32());
        using var rng = tensor(bytes, dtype: ScalarType.Byte);
        random.set_rng_state(rng);
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
    }
}
