using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace RnnRunner.Core.Export;

/// <summary>
/// An exported model run by ONNX Runtime, in-process and without libtorch: what <c>predict --model</c> and the export
/// tests use. Loading applies every graph optimisation, which also checks the graph as onnx.checker would.
/// </summary>
public sealed class OnnxRunner : IDisposable
{
    private readonly InferenceSession _session;

    public OnnxRunner(byte[] model)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        try
        {
            _session = new InferenceSession(model, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"ONNX Runtime cannot load the model: {e.Message.Split('\n')[0]}");
        }
    }

    public static OnnxRunner Open(string path) =>
        File.Exists(path) ? new OnnxRunner(File.ReadAllBytes(path)) : throw new FileNotFoundException($"{path}: no such file");

    /// <summary>Whether the model reads token ids (else feature sequences).</summary>
    public bool ReadsTokens => _session.InputMetadata.ContainsKey(OnnxExport.TokensInput);

    /// <summary>Outputs for token ids (batch, steps), row-major as the model writes them.</summary>
    public float[] Run(long[] ids, int batch, int steps) =>
        Run(NamedOnnxValue.CreateFromTensor(OnnxExport.TokensInput, new DenseTensor<long>(ids, [batch, steps])));

    /// <summary>Outputs for feature sequences (batch, steps, features).</summary>
    public float[] Run(float[] features, int batch, int steps, int width) =>
        Run(NamedOnnxValue.CreateFromTensor(OnnxExport.FeaturesInput, new DenseTensor<float>(features, [batch, steps, width])));

    private float[] Run(NamedOnnxValue input)
    {
        using var results = _session.Run([input]);
        return results.Single(r => r.Name == OnnxExport.Output).AsTensor<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();
}
