using System.Globalization;
using RnnRunner.Core.Specs;

namespace RnnRunner.Core.Engines;

/// <summary>
/// One way an engine can train a model on this machine: its CPU threads and, where the engine has a choice, the
/// kernels that run its recurrent layers. An engine offers the variants worth timing for a plan
/// (<see cref="IEngine.Variants"/>); calibration picks the fastest of those that agree with the engine's default
/// (<see cref="EngineSelection.EngineSelector"/>), and summary.json's <c>engine_choice</c> records it.
/// </summary>
/// <param name="Engine">The engine's spec name: torch or scratch.</param>
/// <param name="Threads">CPU threads the engine computes with.</param>
/// <param name="Kernels">The engine's name for its recurrent kernels, e.g. torch's <c>aten</c>, scratch's <c>scratch</c>.</param>
public sealed record EngineVariant(string Engine, int Threads, string Kernels)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public EngineKind Kind => Enum.GetValues<EngineKind>().First(k => SpecNames.Of(k) == Engine);

    /// <summary>"aten, 1 thread": the variant's settings, without its engine.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Settings => string.Create(CultureInfo.InvariantCulture, $"{Kernels}, {Threads} thread{(Threads == 1 ? "" : "s")}");

    public override string ToString() => $"{Engine} ({Settings})";
}
