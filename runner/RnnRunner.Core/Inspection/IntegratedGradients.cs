namespace RnnRunner.Core.Inspection;

/// <summary>
/// Integrated gradients (Sundararajan et al., 2017) of one output with respect to the embedding: each real step's
/// (e − b)·∫₀¹ ∂f/∂e(b + α(e − b)) dα, b the padding embedding put in every real step's place. By the path integral the
/// attributions sum to f(x) − f(b); <see cref="Gap"/> says how close the quadrature came.
/// </summary>
/// <param name="ByStep">Each step's attribution, aligned with the steps; null at padding.</param>
/// <param name="Steps">How many points along the path the integral was taken at (midpoint rule).</param>
/// <param name="Output">f(x): the explained output for the sequence.</param>
/// <param name="Baseline">f(b): the same output with the padding embedding at every real step.</param>
public sealed record IntegratedGradients(IReadOnlyList<double?> ByStep, int Steps, double Output, double Baseline)
{
    /// <summary>The attributions' sum, which the method promises equals <see cref="Output"/> − <see cref="Baseline"/>.</summary>
    public double Sum => ByStep.Sum(a => a ?? 0);

    /// <summary>|sum − (f(x) − f(b))| relative to |f(x) − f(b)| (absolute when that is below 1e-6).</summary>
    public double Gap => Math.Abs(Sum - (Output - Baseline)) / Math.Max(Math.Abs(Output - Baseline), 1e-6);

    /// <summary>The completeness the issue asks of it: within 1 %.</summary>
    public const double Tolerance = 0.01;

    /// <summary>The path points tried in turn until the attributions are complete to within <see cref="Tolerance"/>.</summary>
    public static readonly IReadOnlyList<int> Schedule = [16, 32, 64, 128, 256, 512];

    /// <summary>The midpoint rule's α for point <paramref name="j"/> of <paramref name="steps"/>.</summary>
    public static double Alpha(int j, int steps) => (j + 0.5) / steps;
}
