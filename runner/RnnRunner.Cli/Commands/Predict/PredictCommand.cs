using RnnRunner.Core.Data;
using System.Globalization;
using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Data.Text;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Storage;

namespace RnnRunner.Cli.Commands.Predict;

public static class PredictCommand
{
    /// <summary>The most one --file may hold: far beyond any review (IMDB's longest is 14 KB), far below the memory.</summary>
    public const long MaxFileBytes = 16 << 20;

    public static int Execute(string runFolder, IReadOnlyList<string> texts, IReadOnlyList<string> files, TextWriter output, TextWriter errors)
    {
        var reviews = new List<string>(texts);
        foreach (var file in files)
        {
            try { reviews.Add(new System.Text.UTF8Encoding(false).GetString(BoundedRead.AllBytes(file, MaxFileBytes, "a review file")).TrimStart('\uFEFF')); }
            catch (TooLargeException e)
            {
                errors.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                errors.WriteLine($"error: {file}: cannot be read ({e.Message})");
                return ExitCodes.InvalidInput;
            }
        }
        if (reviews.Count == 0)
        {
            errors.WriteLine("error: give at least one review with --text or --file");
            return ExitCodes.InvalidInput;
        }

        try
        {
            using var engines = Composition.Engines();
            using var predictor = TextPredictor.Open(RunFolder.Open(runFolder), engines);
            foreach (var p in predictor.Predict(reviews))
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.PositiveProbability:F4}\t{p.Label}\t{Preview(p.Text)}"));
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is DatasetException or DirectoryNotFoundException or InvalidDataException or SpecException or DamagedFileException)
        {
            errors.WriteLine($"error: {e.Message.Split(Environment.NewLine)[0]}");
            return ExitCodes.InvalidInput;
        }
    }

    private static string Preview(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 70 ? flat : flat[..67] + "...";
    }
}
