namespace RnnRunner.Core.Training;

/// <summary>
/// Per-layer gradient norms, as <c>training.log_gradient_norms</c> logs them: each layer's L2 norm over all its
/// parameters' gradients (before clipping), named <c>grad_norm_model[1]</c> after the layer's spec path. Both engines
/// hand in each parameter's sum of squared gradients by its portable name; this is the one place they become columns.
/// </summary>
public static class GradientNorms
{
    public const string Prefix = "grad_norm_";

    /// <summary>The layer a portable parameter name belongs to: its spec path (model[1].weight_ih → model[1]).</summary>
    public static string LayerOf(string parameter)
    {
        var dot = parameter.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? parameter : parameter[..dot];
    }

    /// <summary>Each layer's norm, by column name, from each parameter's sum of squared gradients.</summary>
    public static IReadOnlyDictionary<string, double> Of(IEnumerable<(string Parameter, double SumOfSquares)> parameters) =>
        parameters.GroupBy(p => LayerOf(p.Parameter)).ToDictionary(g => Prefix + g.Key, g => Math.Sqrt(g.Sum(p => p.SumOfSquares)));

    /// <summary>Whether a logged name is a gradient norm (not a metric of the model's predictions).</summary>
    public static bool IsNorm(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);
}
