using RnnRunner.Core.Specs.Schema;

namespace RnnRunner.Core.Specs;

public enum EngineKind
{
    Torch,
    Scratch,
    /// <summary>Chosen per spec and machine by a short calibration (EngineSelection.EngineSelector), before the run starts.</summary>
    Auto,
}

public enum DeviceKind { Cpu, Cuda }

/// <summary>One experiment: what data, which model, how to train it. Loaded from YAML by <c>Loading.SpecLoader</c>.</summary>
[Doc("An RnnRunner experiment: data, model and training, run by `rnnrunner run`.")]
public sealed record ExperimentSpec
{
    [Doc("Run name: letters, digits, '-', '_' and '.'; results go to results/<name>/.")]
    public required string Name { get; init; }

    [Doc("Free text: what this experiment is for and why its settings are what they are.")]
    public string Description { get; init; } = "";

    [Doc("Seeds weight initialisation, dropout, data generation and shuffling: same seed, same metrics.")]
    [SpecRange(0, int.MaxValue)]
    public int Seed { get; init; } = 42;

    [Doc("Which engine trains the model: torch (TorchSharp/libtorch), scratch (hand-written BPTT), or auto (whichever trains this model fastest on this machine, by a few calibration steps cached per machine and model shape).")]
    public EngineKind Engine { get; init; } = EngineKind.Torch;

    [Doc("cpu, or cuda when a CUDA build of libtorch is installed.")]
    public DeviceKind Device { get; init; } = DeviceKind.Cpu;

    [Doc("The dataset and its preprocessing.")]
    public required DataSpec Data { get; init; }

    [Doc("The layers, in order, as in a Keras Sequential model.")]
    public required IReadOnlyList<LayerSpec> Model { get; init; }

    [Doc("Epochs, batch size, optimizer, loss, metrics, validation and early stopping.")]
    public required TrainingSpec Training { get; init; }
}
