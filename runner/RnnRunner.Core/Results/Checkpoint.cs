using System.Text;
using System.Text.Json;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Storage;
using RnnRunner.Core.Training;

namespace RnnRunner.Core.Results;

/// <summary>
/// checkpoint.bin, rewritten atomically after every epoch: the trainer's state (JSON), the best epoch's weights,
/// then the engine's training state (weights, optimizer, random generator), sealed with a checksum. The checkpoint
/// it replaces is kept as checkpoint.previous.bin, so a damaged checkpoint costs one epoch, not the run.
/// </summary>
public static class Checkpoint
{
    private static readonly byte[] Magic = "RNNCKPT1"u8.ToArray();

    private sealed record Header(IReadOnlyList<EpochMetrics> History, int BestEpoch, double BestValue,
        int EpochsWithoutImprovement, bool StoppedEarly, bool HasBestWeights,
        LearningRatePlateau.PlateauState? Plateau = null, double? LearningRate = null);

    public static void Write(RunFolder folder, TrainerState state, ITrainableModel model) =>
        SealedFile.Write(folder.Checkpoint, stream =>
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
        }, keepPreviousAs: folder.PreviousCheckpoint);

    /// <summary>Whether the run has any checkpoint to continue from.</summary>
    public static bool Exists(RunFolder folder) => File.Exists(folder.Checkpoint) || File.Exists(folder.PreviousCheckpoint);

    /// <summary>
    /// Reads the newest intact checkpoint — checkpoint.bin, else checkpoint.previous.bin (telling <paramref name="warn"/>
    /// why) — and loads its engine state into <paramref name="model"/>. Nothing is loaded from a damaged file;
    /// when neither is intact, <see cref="DamagedFileException"/> names both.
    /// </summary>
    public static TrainerState Read(RunFolder folder, ITrainableModel model, Action<string> warn)
    {
        var problems = new List<string>();
        foreach (var path in new[] { folder.Checkpoint, folder.PreviousCheckpoint }.Where(File.Exists))
        {
            try
            {
                using var payload = SealedFile.Open(path);
                var state = Parse(payload, path, model);
                if (problems.Count > 0) warn($"{problems[0]}; continuing from the checkpoint before it ({Path.GetFileName(path)})");
                return state;
            }
            catch (DamagedFileException e)
            {
                problems.Add(e.Message);
            }
        }
        throw new DamagedFileException(folder.Checkpoint, problems.Count == 0
            ? "missing"
            : $"no intact checkpoint is left ({string.Join("; ", problems)}); start the run again with rnnrunner run");
    }

    private static TrainerState Parse(Stream stream, string path, ITrainableModel model)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
                throw new DamagedFileException(path, "not an RnnRunner checkpoint");
            var header = JsonSerializer.Deserialize<Header>(reader.ReadString(), RunSummary.JsonOptions)
                ?? throw new DamagedFileException(path, "no training state");
            var best = header.HasBestWeights ? WeightsFile.Read(stream, path) : null;
            model.LoadTrainingState(stream);
            return new TrainerState(header.History, header.BestEpoch, header.BestValue, header.EpochsWithoutImprovement,
                header.StoppedEarly, best)
            { Plateau = header.Plateau, LearningRate = header.LearningRate };
        }
        catch (Exception e) when (e is JsonException or EndOfStreamException or InvalidDataException)
        {
            // Sealed, yet unreadable: written by another version of RnnRunner, or for another model.
            throw new DamagedFileException(path, $"intact but unreadable ({e.Message})");
        }
    }
}
