using TorchSharp;
using static TorchSharp.torch;

namespace RnnRunner.Engines.Torch;

/// <summary>
/// Keras' default initialisers, applied to libtorch's parameter layout. They matter: on IMDB an LSTM reaches
/// about 0.86 validation accuracy after one epoch with these, against 0.82 at best in 10 epochs with PyTorch's
/// defaults (measured with PyTorch 2.6 on this project's machine).
/// </summary>
internal static class KerasInitialisers
{
    /// <summary>Keras Embedding: uniform in [-0.05, 0.05].</summary>
    public const double EmbeddingLimit = 0.05;

    public static void Embedding(Tensor weight)
    {
        using var _ = no_grad();
        nn.init.uniform_(weight, -EmbeddingLimit, EmbeddingLimit);
    }

    /// <summary>
    /// Keras kernel (input → gates): glorot uniform over the whole (input, gates·units) matrix; recurrent kernel:
    /// orthogonal over (units, gates·units); biases zero. libtorch stores the transposes, (gates·units, input)
    /// and (gates·units, units), which have the same distributions. libtorch's second bias stays zero.
    /// </summary>
    public static void Recurrent(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh, bool unitForgetBias, long units)
    {
        using var _ = no_grad();
        nn.init.xavier_uniform_(weightIh);
        nn.init.orthogonal_(weightHh);
        nn.init.zeros_(biasIh);
        nn.init.zeros_(biasHh);
        // Keras' unit_forget_bias: the LSTM forget gate (second block, order i, f, g, o) starts at 1.
        if (unitForgetBias) biasIh.narrow(0, units, units).fill_(1.0);
    }

    /// <summary>Keras Dense: glorot uniform kernel, zero bias.</summary>
    public static void Dense(Tensor weight, Tensor bias)
    {
        using var _ = no_grad();
        nn.init.xavier_uniform_(weight);
        nn.init.zeros_(bias);
    }
}
