using System.Globalization;
using CsvHelper;
using RnnRunner.Core.Storage;
using RnnRunner.Core.Training;

namespace RnnRunner.Core.Results;

/// <summary>
/// predictions.csv: every test target's prediction — id, target, output, then the model's probability of its class
/// and whether it was right (classification) or the absolute error (regression). Small (a row per test target), and
/// what a paired comparison of two runs on the same test set reads.
/// </summary>
public static class PredictionsCsv
{
    public const string FileName = "predictions.csv";

    public static void Write(string path, IReadOnlyList<TestPrediction> rows)
    {
        var classification = rows.Any(r => r.Correct is not null);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            foreach (var h in classification ? new[] { "id", "target", "output", "probability", "correct" } : ["id", "target", "output", "abs_error"]) csv.WriteField(h);
            csv.NextRecord();
            foreach (var r in rows)
            {
                csv.WriteField(r.Id);
                csv.WriteField(r.Target);
                csv.WriteField(r.Output);
                if (classification)
                {
                    csv.WriteField(r.Probability?.ToString("G6", CultureInfo.InvariantCulture));
                    csv.WriteField(r.Correct == true ? "1" : "0");
                }
                else csv.WriteField(r.AbsoluteError?.ToString("R", CultureInfo.InvariantCulture));
                csv.NextRecord();
            }
        });
    }

    public static IReadOnlyList<TestPrediction> Read(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var classification = csv.HeaderRecord!.Contains("correct");
        var rows = new List<TestPrediction>();
        while (csv.Read())
            rows.Add(classification
                ? new TestPrediction(csv.GetField("id")!, csv.GetField("target")!, csv.GetField("output")!,
                    double.Parse(csv.GetField("probability")!, CultureInfo.InvariantCulture), csv.GetField("correct") == "1", null)
                : new TestPrediction(csv.GetField("id")!, csv.GetField("target")!, csv.GetField("output")!, null, null,
                    double.Parse(csv.GetField("abs_error")!, CultureInfo.InvariantCulture)));
        return rows;
    }
}
