using System.Numerics.Tensors;
using System.Text;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Network;

namespace RnnRunner.Engines.Scratch.Training;

/// <summary>
/// A scratch-engine model with its optimizer. Each batch is cut into one shard per worker; shards run forward,
/// loss and backward side by side on the same weights, then their gradients are summed, clipped and applied.
/// Dropout masks are drawn per example from (seed, step, layer, example), so results do not depend on how many
/// workers there are (only the order of float additions in the gradient sum does).
/// </summary>
internal sealed class ScratchTrainableModel : ITrainableModel
{
    private static readonly byte[] StateMagic = "SCRATCH1"u8.ToArray();

    private readonly ScratchNetwork<float> _network;
    private readonly TrainingSpec _training;
    private readonly ShardWorkers _workers;
    private readonly NetworkWorkspace<float>[] _shards;
    private readonly Optimizer _optimizer;
    private readonly float[][] _parameters, _gradients;
    private readonly ulong _seed;
    private readonly double[] _shardLosses, _squares;
    private float[] _outputs = [];
    private ulong _step;
    private int _shardCount = 1; // shards in the batch being run

    public ScratchTrainableModel(ModelPlan plan, TrainingSpec training, int seed, ShardWorkers workers)
    {
        _training = training;
        _workers = workers;
        _seed = (ulong)(uint)seed;
        _network = new ScratchNetwork<float>(plan, training.Loss);
        _network.Initialise(seed);
        _shards = Enumerable.Range(0, workers.Count).Select(_ => _network.CreateWorkspace()).ToArray();
        _shardLosses = new double[workers.Count];
        _squares = new double[workers.Count];
        _parameters = _network.Parameters.Select(p => p.Values).ToArray();
        _gradients = _parameters.Select(p => new float[p.Length]).ToArray();
        _optimizer = Optimizer.Create(training.Optimizer, _parameters.Select(p => p.Length).ToList());
    }

    public double LearningRate
    {
        get => _optimizer.LearningRate;
        set => _optimizer.LearningRate = value;
    }

    public BatchResult TrainStep(Batch batch)
    {
        var meanOver = _network.LossTerms(batch);
        var shards = RunShards(batch, shard =>
        {
            var (first, count) = ShardRange(batch.Count, shard);
            var w = _shards[shard];
            w.ClearGradients();
            w.Forward(batch, first, count, training: true, _seed, _step);
            _shardLosses[shard] = w.ComputeLoss(batch, meanOver);
            w.Backward();
        });
        ApplyGradients(shards);
        _network.ParametersChanged();
        _step++;
        return Result(batch, shards, meanOver);
    }

    public BatchResult Evaluate(Batch batch)
    {
        var meanOver = _network.LossTerms(batch);
        var shards = RunShards(batch, shard =>
        {
            var (first, count) = ShardRange(batch.Count, shard);
            _shards[shard].Forward(batch, first, count, training: false, _seed, _step);
            _shardLosses[shard] = _shards[shard].ComputeLoss(batch, meanOver);
        });
        return Result(batch, shards, meanOver);
    }

    public ReadOnlyMemory<float> Predict(Batch batch) => Evaluate(batch).Outputs;

    public IReadOnlyList<NamedTensor> LastGradients() =>
        _network.Parameters.Select((p, i) => new NamedTensor(p.Name, (int[])p.Shape.Clone(), (float[])_gradients[i].Clone())).ToList();

    public IReadOnlyList<NamedTensor> OutputGradients(Batch batch, int output)
    {
        if (_network.OutputsPerExample(batch.Steps) != _network.OutputShape.Features)
            throw new InvalidOperationException("output gradients are taken of one output row per example; this model outputs one per step");
        var w = _shards[0];
        w.ClearGradients();
        w.Forward(batch, 0, batch.Count, training: false, _seed, _step);
        w.ComputeLoss(batch, 1);
        w.SeedOutputGradient(output);
        w.Backward();
        return _network.Parameters.Select((p, i) => new NamedTensor(p.Name, (int[])p.Shape.Clone(), (float[])w.Gradients[i].Clone())).ToList();
    }

    public bool MasksOutputSteps => _network.MasksOutputSteps;

    private int RunShards(Batch batch, Action<int> work)
    {
        // At least a few examples per shard: tiny batches are not worth a second thread.
        var shards = Math.Clamp(batch.Count / 4, 1, _workers.Count);
        _shardCount = shards;
        _workers.Run(shards, work);
        return shards;
    }

    private (int First, int Count) ShardRange(int examples, int shard) => Slice(examples, shard, _shardCount);

    private BatchResult Result(Batch batch, int shards, double meanOver)
    {
        var perExample = _network.OutputsPerExample(batch.Steps);
        if (_outputs.Length < batch.Count * perExample) _outputs = new float[batch.Count * perExample];
        var loss = 0.0;
        for (var s = 0; s < shards; s++)
        {
            loss += _shardLosses[s];
            var (first, _) = ShardRange(batch.Count, s);
            _shards[s].Outputs.CopyTo(_outputs.AsSpan(first * perExample));
        }
        // The buffer is reused: BatchResult's outputs are valid until the next call, as the contract says.
        return new BatchResult(loss / meanOver, _outputs.AsMemory(0, batch.Count * perExample));
    }

    /// <summary>
    /// Sum the shards' gradients, clip by global norm, and take the optimizer step — each worker on its own slice
    /// of every parameter, so this part scales with the cores too.
    /// </summary>
    private void ApplyGradients(int shards)
    {
        var workers = _workers.Count;
        _workers.Run(workers, worker =>
        {
            var squares = 0.0;
            for (var p = 0; p < _gradients.Length; p++)
            {
                var (start, length) = Slice(_gradients[p].Length, worker, workers);
                var sum = _gradients[p].AsSpan(start, length);
                _shards[0].Gradients[p].AsSpan(start, length).CopyTo(sum);
                for (var s = 1; s < shards; s++) TensorPrimitives.Add(sum, _shards[s].Gradients[p].AsSpan(start, length), sum);
                squares += TensorPrimitives.SumOfSquares<float>(sum);
            }
            _squares[worker] = squares;
        });
        if (_training.LogGradientNorms)
            GradientNorms = Core.Training.GradientNorms.Of(_network.Parameters.Select((parameter, p) =>
                (parameter.Name, (double)TensorPrimitives.SumOfSquares<float>(_gradients[p]))));
        // As torch.nn.utils.clip_grad_norm_: scale all gradients by max_norm / (‖g‖ + 1e-6) when that is below 1.
        var scale = 1f;
        if (_training.ClipGradNorm is { } maxNorm)
            scale = (float)Math.Min(1.0, maxNorm / (Math.Sqrt(_squares.Sum()) + 1e-6));
        _optimizer.BeginStep();
        _workers.Run(workers, worker =>
        {
            for (var p = 0; p < _gradients.Length; p++)
            {
                var (start, length) = Slice(_gradients[p].Length, worker, workers);
                var gradient = _gradients[p].AsSpan(start, length);
                if (scale < 1f) TensorPrimitives.Multiply(gradient, scale, gradient);
                _optimizer.Update(p, _parameters[p].AsSpan(start, length), gradient, start);
            }
        });
    }

    private static (int Start, int Length) Slice(int length, int part, int parts)
    {
        int size = length / parts, extra = length % parts;
        var start = part * size + Math.Min(part, extra);
        return (start, size + (part < extra ? 1 : 0));
    }

    public IReadOnlyDictionary<string, double>? GradientNorms { get; private set; }

    public IReadOnlyList<NamedTensor> GetWeights() => _network.GetWeights();

    public void SetWeights(IReadOnlyList<NamedTensor> weights) => _network.SetWeights(weights);

    public void SaveTrainingState(Stream stream)
    {
        WeightsFile.Write(stream, GetWeights());
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(StateMagic);
        writer.Write(_step); // with the seed, this fixes every later dropout mask
        _optimizer.Save(writer);
    }

    public void LoadTrainingState(Stream stream)
    {
        SetWeights(WeightsFile.Read(stream, "checkpoint"));
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBytes(StateMagic.Length).AsSpan().SequenceEqual(StateMagic))
            throw new InvalidDataException("the checkpoint was not written by the scratch engine");
        _step = reader.ReadUInt64();
        _optimizer.Load(reader);
    }

    public void Dispose() { }
}
