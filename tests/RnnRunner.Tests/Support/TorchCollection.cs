namespace RnnRunner.Tests.Support;

/// <summary>
/// libtorch's random generator and Serilog's global logger are process-wide: tests that train models or run
/// the CLI share this collection so they run one at a time and stay deterministic.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "libtorch (serial)";
}
