using System.Globalization;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Storage;

namespace RnnRunner.Core.Engines;

/// <summary>
/// A deliberately rough upper estimate of what training a plan needs, so that a spec that cannot fit is refused
/// before anything is allocated rather than failing (or swapping) an hour in.
/// </summary>
/// <param name="ParameterBytes">Weights, gradients, optimizer slots, and the best-epoch and checkpoint copies.</param>
/// <param name="ActivationBytes">What one batch keeps for backpropagation through time, with headroom for temporaries.</param>
/// <param name="DataBytes">The examples held in memory.</param>
public sealed record MemoryEstimate(double ParameterBytes, double ActivationBytes, double DataBytes)
{
    /// <summary>Backward passes hold temporaries beside the saved activations; measured peaks stay under this factor.</summary>
    public const double ActivationHeadroom = 3;

    public double TotalBytes => ParameterBytes + ActivationBytes + DataBytes;

    public static MemoryEstimate For(ModelPlan plan, ExperimentSpec spec)
    {
        // Doubles throughout: a hostile spec must not overflow the estimate that is meant to refuse it.
        double parameters = plan.TorchParameters;
        var optimizerSlots = spec.Training.Optimizer.StateSlotsPerParameter();
        var copies = 2 + optimizerSlots + 1 + (spec.Training.EarlyStopping?.RestoreBestWeights == true ? 1 : 0); // weights, grads, slots, checkpoint, best
        var parameterBytes = parameters * sizeof(float) * copies;

        double batch = spec.Training.BatchSize, activations = 0;
        foreach (var layer in plan.Layers)
        {
            activations += batch * (layer.Output.Steps ?? 1) * layer.Output.Features;
            activations += batch * layer.Type.SavedValuesPerExample(layer.Spec, layer.Input);
        }
        var activationBytes = activations * sizeof(float) * ActivationHeadroom;

        var data = plan.Data;
        double examples = spec.Data switch
        {
            SyntheticDataSpec s => s.TrainSamples + s.TestSamples,
            ImdbDataSpec i => 2.0 * (i.Limit ?? 25_000),
            _ => 0,
        };
        var dataBytes = examples > 0
            ? examples * (data.InputsPerExample + data.TargetsPerExample) * sizeof(int)
            : FromFiles(spec.Data);
        return new MemoryEstimate(parameterBytes, activationBytes, dataBytes);
    }

    /// <summary>
    /// For one's own files, whose example count is known only once read: their size on disk, scaled by what reading
    /// makes of a byte — a token id (4 bytes) per ~4 bytes of text, a float (8 while read) per ~5 bytes of a CSV
    /// number — and by 5 for a compressed archive; an .npy holds its values as they will be.
    /// </summary>
    private static double FromFiles(DataSpec data)
    {
        static double Size(string? path) =>
            path is null ? 0 : File.Exists(path) ? new FileInfo(path).Length
            : Directory.Exists(path) ? FolderWalk.Files(path, "*").Sum(f => (double)new FileInfo(f).Length) : 0;
        static double Compressed(string path) =>
            path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) ? 5 : 1;
        return data switch
        {
            TextFolderDataSpec t => Size(t.Path) * Compressed(t.Path) * 1.5, // the texts while tokenised, then their ids
            TableDataSpec t => (Size(t.Path) + Size(t.TestPath)) * 1.5,
            TimeseriesDataSpec t => Size(t.Path) * 2.0 * t.SequenceLength, // every row is in sequence_length windows
            NumpyDataSpec n => Size(n.Path) * Compressed(n.Path) * 2.0, // the arrays, then the examples made of them
            _ => 0,
        };
    }

    /// <summary>MemAvailable from /proc/meminfo, or null where the system does not say.</summary>
    public static double? AvailableBytes()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"an estimated {Sizes.Bytes(TotalBytes)} (parameters, gradients and optimizer state {Sizes.Bytes(ParameterBytes)}, activations for one batch {Sizes.Bytes(ActivationBytes)}, data {Sizes.Bytes(DataBytes)})");
}
