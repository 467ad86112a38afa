using System.Text;
using System.Text.Json;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Training;

namespace RnnRunner.Core.Results;

/// <summary>
/// checkpoint.bin, rewritten atomically after every epoch: the trainer's state (JSON), the best epoch's weights,
/// then the engine's training state (weights, optimizer, random generator). A crash at any moment leaves the
/// previous epoch's complete checkpoint.
/// </summary>
public static class Checkpoint
{
    private static readonly byte[] Magic = "RNNCKPT1"u8.ToArray();

    private sealed record Header(IReadOnlyList<EpochMetrics> History, int BestEpoch, double BestValue,
        int EpochsWithoutImprovement, bool StoppedEarly, bool HasBestWeights,
        LearningRatePlateau.PlateauState? Plateau = null, double? LearningRate = null);

    public static void Write(string path, TrainerState state, ITrainableModel model) =>
        AtomicFile.Write(path, stream =>
        {
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(JsonSerializer.Serialize(new Header(state.History, state.BestEpoch, state.BestValue,
                    state.EpochsWithoutImprovement, state.StoppedEarly, state.BestWeights is not null, state.Plateau, state.LearningRate),
                    RunSummary.JsonOptions));
            }
            if (state.BestWeights is { } best) WeightsFile.Write(stream, best);
            model.SaveTrainingState(stream);
        });

    /// <summary>Reads the trainer state and loads the engine state into <paramref name="model"/>.</summary>
    public static TrainerState Read(string path, ITrainableModel model)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
            throw new InvalidDataException($"{path} is not an RnnRunner checkpoint");
        var header = JsonSerializer.Deserialize<Header>(reader.ReadString(), RunSummary.JsonOptions)
            ?? throw new InvalidDataException($"{path} has no training state");
        var best = header.HasBestWeights ? WeightsFile.Read(stream, path) : null;
        model.LoadTrainingState(stream);
        return new TrainerState(header.History, header.BestEpoch, header.BestValue, header.EpochsWithoutImprovement,
            header.StoppedEarly, best) { Plateau = header.Plateau, LearningRate = header.LearningRate };
    }
}
