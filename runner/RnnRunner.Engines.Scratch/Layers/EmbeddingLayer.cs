using System.Numerics;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Engines.Layers;
using RnnRunner.Core.Specs;
using RnnRunner.Engines.Scratch.Maths;

namespace RnnRunner.Engines.Scratch.Layers;

/// <summary>
/// Token ids (batch, steps) → vectors (steps, batch, output_dim): row <c>id</c> of the embedding matrix. With
/// mask_zero the output carries a <see cref="SequenceMask"/> of the steps whose id is not 0.
/// </summary>
[BuildsLayer(typeof(EmbeddingLayerSpec))]
internal sealed class EmbeddingLayer<T>(string path, int inputDim, int outputDim, bool maskZero = false) : ScratchLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public EmbeddingLayer(PlannedLayer layer)
        : this(layer.Path, ((EmbeddingLayerSpec)layer.Spec).Rows, ((EmbeddingLayerSpec)layer.Spec).OutputDim,
            ((EmbeddingLayerSpec)layer.Spec).MaskZero)
    { }

    public Parameter<T> Embeddings { get; } = new($"{path}.embeddings", inputDim, outputDim);
    public int InputDim => inputDim;
    public int OutputDim => outputDim;
    public bool MaskZero => maskZero;

    public override IReadOnlyList<Parameter<T>> Parameters => [Embeddings];

    public Workspace CreateWorkspace() => new(this);

    internal sealed class Workspace(EmbeddingLayer<T> layer) : LayerGradients<T>(layer)
    {
        private T[]? _output;
        private int[] _tokens = [];
        private int _batch, _steps;

        /// <param name="tokens">(batch, steps) ids, batch-major as the data arrives.</param>
        public Activations<T> Forward(ReadOnlySpan<int> tokens, int batch, int steps)
        {
            int d = layer.OutputDim;
            var output = Ensure(ref _output, steps * batch * d);
            if (_tokens.Length < tokens.Length) _tokens = new int[tokens.Length];
            tokens.CopyTo(_tokens);
            (_batch, _steps) = (batch, steps);
            var table = layer.Embeddings.Values.AsSpan();
            for (var b = 0; b < batch; b++)
                for (var t = 0; t < steps; t++)
                {
                    var id = tokens[b * steps + t];
                    if ((uint)id >= (uint)layer.InputDim)
                        throw new InvalidDataException($"token id {id} is outside the embedding's input_dim {layer.InputDim}");
                    table.Slice(id * d, d).CopyTo(output.AsSpan((t * batch + b) * d, d));
                }
            return new Activations<T>(output, steps, batch, d, layer.MaskZero ? new SequenceMask(tokens, batch, steps) : null);
        }

        /// <summary>Each token's row of the gradient receives the gradient of every position that looked it up.</summary>
        public void Backward(Activations<T> outputGradient)
        {
            int d = layer.OutputDim;
            var gradient = Gradients[0].AsSpan();
            for (var b = 0; b < _batch; b++)
                for (var t = 0; t < _steps; t++)
                {
                    var row = gradient.Slice(_tokens[b * _steps + t] * d, d);
                    System.Numerics.Tensors.TensorPrimitives.Add(row, outputGradient.Data.AsSpan((t * _batch + b) * d, d), row);
                }
        }
    }
}
