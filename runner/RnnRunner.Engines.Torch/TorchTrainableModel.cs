using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Settings;
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
    private readonly bool _masked;

    private readonly bool _oneDnnTraining;

    /// <param name="oneDnnTraining">Train LSTMs on oneDNN's primitives (evaluation and prediction stay on ATen's cells).</param>
    /// <param name="maskedPath">How masked recurrent layers skip padding (the same function either way; bench masking times both).</param>
    public TorchTrainableModel(ModelPlan plan, TrainingSpec training, Device device, int seed, bool oneDnnTraining = false,
        MaskedRnnPath maskedPath = MaskedRnnPath.Gathers)
    {
        _oneDnnTraining = oneDnnTraining;
        _training = training;
        _data = plan.Data;
        _device = device;
        _model = new TorchSequentialModel(plan, maskedPath);
        _masked = plan.Layers.Any(l => l.Output.Masked);
        MasksOutputSteps = plan.Output is { IsSequence: true, Masked: true };
        _model.to(device);
        _parameters = _model.PortableParameters().ToList();
        SetWeights(InitialWeights.For(plan, seed)); // the same starting point as the scratch engine
        _optimizer = CreateOptimizer(training.Optimizer, _model.parameters());
    }

    public bool MasksOutputSteps { get; }

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
        using var kernels = _oneDnnTraining ? LibTorchContext.OneDnnWhileTraining() : null;
        _model.train();
        _optimizer.zero_grad();
        var (inputs, mask) = Inputs(batch);
        var logits = _model.Forward(inputs, mask);
        var loss = Loss(logits, batch, mask);
        loss.backward();
        if (_training.LogGradientNorms)
            GradientNorms = Core.Training.GradientNorms.Of(_parameters.Select(p =>
                (p.Name, p.Parameter.grad is { } grad ? grad.pow(2).sum().ToDouble() : 0.0)));
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
        var (inputs, mask) = Inputs(batch);
        var logits = _model.Forward(inputs, mask);
        return Result(Loss(logits, batch, mask), logits);
    }

    public ReadOnlyMemory<float> Predict(Batch batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _model.eval();
        var (inputs, mask) = Inputs(batch);
        return DenseLayer.Activate(_model.Forward(inputs, mask), _model.OutputActivation).cpu().data<float>().ToArray();
    }

    public IReadOnlyList<NamedTensor> LastGradients() =>
        _parameters.Select(p => new NamedTensor(p.Name, p.Parameter.shape.Select(d => (int)d).ToArray(),
            p.Parameter.grad is { } grad ? grad.cpu().data<float>().ToArray() : new float[p.Parameter.numel()])).ToList();

    public IReadOnlyList<NamedTensor> OutputGradients(Batch batch, int output)
    {
        using var scope = NewDisposeScope();
        _model.eval();
        _optimizer.zero_grad();
        var (inputs, mask) = Inputs(batch);
        var outputs = DenseLayer.Activate(_model.Forward(inputs, mask), _model.OutputActivation);
        if (outputs.dim() != 2) throw new InvalidOperationException("output gradients are taken of one output row per example; this model outputs one per step");
        outputs[.., output].sum().backward();
        var gradients = _parameters.Select(p => new NamedTensor(p.Name, p.Parameter.shape.Select(d => (int)d).ToArray(),
            p.Parameter.grad is { } grad ? grad.cpu().data<float>().ToArray() : new float[p.Parameter.numel()])).ToList();
        _optimizer.zero_grad();
        return gradients;
    }

    private BatchResult Result(Tensor loss, Tensor logits)
    {
        var outputs = DenseLayer.Activate(logits, _model.OutputActivation).detach().cpu();
        return new BatchResult(loss.item<float>(), outputs.data<float>().ToArray());
    }

    /// <summary>The batch as (B, T) ids or (B, T, F) features, T its own length; and its padding mask when the model masks.</summary>
    private (Tensor Inputs, TorchMask? Mask) Inputs(Batch batch)
    {
        var s = _data;
        if (s.Input != InputKind.Tokens)
            return (tensor(batch.InputFeatures.ToArray(), [batch.Count, batch.Steps, s.InputWidth], device: _device), null);
        var ids = tensor(batch.TokenIds.ToArray(), [batch.Count, batch.Steps], device: _device);
        return (ids, _masked ? new TorchMask(new SequenceMask(batch.TokenIds, batch.Count, batch.Steps), _device) : null);
    }

    /// <summary>Mean loss over every target (every time step for sequence targets; real steps only under a mask), from logits.</summary>
    private Tensor Loss(Tensor logits, Batch batch, TorchMask? mask)
    {
        var s = _data;
        var labels = s.IsClassification ? tensor(batch.TargetLabels.ToArray(), device: _device) : null;
        if (MasksOutputSteps && mask is not null)
        {
            // Keep the real steps' rows only: Keras' masked mean.
            var real = mask.Real.reshape(-1).to(ScalarType.Bool);
            logits = logits.reshape(-1, logits.shape[^1])[real];
            labels = labels?[real];
        }
        switch (_training.Loss)
        {
            case LossKind.BinaryCrossentropy:
                return nn.functional.binary_cross_entropy_with_logits(logits.reshape(-1), labels!.to(ScalarType.Float32));
            case LossKind.SparseCategoricalCrossentropy:
                return nn.functional.cross_entropy(logits.reshape(-1, s.TargetWidth), labels!.to(ScalarType.Int64));
            default:
                var predictions = DenseLayer.Activate(logits, _model.OutputActivation);
                var targets = labels is not null
                    ? nn.functional.one_hot(labels.to(ScalarType.Int64), s.TargetWidth).to(ScalarType.Float32)
                    : MaskedValues(batch, mask);
                return nn.functional.mse_loss(predictions.reshape(-1), targets.reshape(-1));
        }
    }

    /// <summary>Regression targets, (B·T, W) rows of the real steps only when the outputs are masked.</summary>
    private Tensor MaskedValues(Batch batch, TorchMask? mask)
    {
        var values = tensor(batch.TargetValues.ToArray(), device: _device);
        if (!MasksOutputSteps || mask is null) return values;
        return values.reshape(-1, _data.TargetWidth)[mask.Real.reshape(-1).to(ScalarType.Bool)];
    }

    public IReadOnlyDictionary<string, double>? GradientNorms { get; private set; }

    public IReadOnlyList<NamedTensor> GetWeights() =>
        _parameters.Select(p => new NamedTensor(p.Name, p.Parameter.shape.Select(d => (int)d).ToArray(),
            p.Parameter.detach().cpu().data<float>().ToArray())).ToList();

    public void SetWeights(IReadOnlyList<NamedTensor> weights) => _model.LoadWeights(weights);

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
