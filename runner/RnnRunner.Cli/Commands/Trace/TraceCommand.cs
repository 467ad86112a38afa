using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Results;
using RnnRunner.Engines.Scratch.Tracing;

namespace RnnRunner.Cli.Commands.Trace;

/// <summary><c>rnnrunner trace</c>: one example through the model on the scratch engine, every gate at every step.</summary>
public static class TraceCommand
{
    /// <param name="path">A spec (traced with its seeded initial weights) or a run folder (with its trained weights).</param>
    public static int Execute(string path, IReadOnlyList<string> overrides, int example, int steps, int values, TextWriter output, TextWriter errors)
    {
        if (steps < 1 || values < 1)
        {
            errors.WriteLine("error: --steps and --values must be at least 1");
            return ExitCodes.InvalidInput;
        }
        try
        {
            IReadOnlyList<NamedTensor>? weights = null;
            if (Directory.Exists(path))
            {
                var folder = RunFolder.Open(path);
                if (!File.Exists(folder.Weights))
                    throw new InvalidDataException($"{folder.Path}: no weights.bin here; is this a completed run folder?");
                weights = WeightsFile.Load(folder.Weights);
                path = folder.SpecResolved;
            }
            var loaded = SpecInput.TryLoad(path, overrides, errors);
            if (loaded is null) return ExitCodes.InvalidInput;
            var trace = ModelTracer.Trace(loaded, weights, example, steps);
            output.WriteLine($"{loaded.Spec.Name}: {(weights is null ? $"initial weights (seed {loaded.Spec.Seed})" : "trained weights")}, scratch engine");
            TraceWriter.Write(trace, output, values);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or DirectoryNotFoundException or DatasetException or Core.Storage.DamagedFileException)
        {
            errors.WriteLine($"error: {e.Message.Split(Environment.NewLine)[0]}");
            return ExitCodes.InvalidInput;
        }
    }
}
