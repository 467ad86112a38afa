using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using RnnRunner.Core.Storage;
using RnnRunner.Core.Training;

namespace RnnRunner.Core.Results;

/// <summary>
/// metrics.csv: one row per epoch — epoch, the logged values under Keras' names, lr, then what the epoch cost: wall
/// seconds, CPU seconds, and the share of the machine other processes took meanwhile (<see cref="Engines.CpuClock"/>).
/// Always written in the invariant culture (a decimal point, whatever the machine's locale).
/// </summary>
public static class MetricsCsv
{
    private static readonly CsvConfiguration Config = new(CultureInfo.InvariantCulture);

    /// <summary>The columns that say what an epoch cost, not what it computed: two identical runs differ only there.</summary>
    public static readonly IReadOnlyList<string> TimingColumns = ["seconds", "cpu_seconds", "others_cpu"];

    public static IReadOnlyList<string> Columns(IEnumerable<string> logged) =>
        ["epoch", .. logged, "lr", .. TimingColumns];

    /// <summary>Rewrites the whole file atomically (it is small), so it is complete after every epoch.</summary>
    public static void Write(string path, IReadOnlyList<string> logged, IReadOnlyList<EpochMetrics> history) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using var csv = new CsvWriter(writer, Config);
            foreach (var column in Columns(logged)) csv.WriteField(column);
            csv.NextRecord();
            foreach (var row in history)
            {
                csv.WriteField(row.Epoch);
                foreach (var name in logged) csv.WriteField(Format(row.Values.GetValueOrDefault(name, double.NaN)));
                csv.WriteField(row.LearningRate.ToString("G6", CultureInfo.InvariantCulture)); // 4.5E-05, not 4.4999999999999996E-05
                csv.WriteField(row.Seconds.ToString("F3", CultureInfo.InvariantCulture));
                csv.WriteField(row.CpuSeconds?.ToString("F3", CultureInfo.InvariantCulture) ?? "");
                csv.WriteField(row.OthersCpuShare?.ToString("F2", CultureInfo.InvariantCulture) ?? "");
                csv.NextRecord();
            }
        });

    public static IReadOnlyList<EpochMetrics> Read(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, Config);
        csv.Read();
        csv.ReadHeader();
        var header = csv.HeaderRecord!;
        var logged = header.Skip(1).Where(h => h != "lr" && !TimingColumns.Contains(h)).ToList();
        var rows = new List<EpochMetrics>();
        while (csv.Read())
        {
            var values = logged.ToDictionary(n => n, n => double.Parse(csv.GetField(n)!, CultureInfo.InvariantCulture));
            rows.Add(new EpochMetrics(csv.GetField<int>("epoch"), values,
                double.Parse(csv.GetField("lr")!, CultureInfo.InvariantCulture),
                double.Parse(csv.GetField("seconds")!, CultureInfo.InvariantCulture))
            {
                CpuSeconds = Optional(csv, header, "cpu_seconds"),
                OthersCpuShare = Optional(csv, header, "others_cpu"),
            });
        }
        return rows;
    }

    /// <summary>A column later versions added (absent from older files), empty where it was not measured.</summary>
    private static double? Optional(CsvReader csv, string[] header, string name) =>
        header.Contains(name) && csv.GetField(name) is { Length: > 0 } text ? double.Parse(text, CultureInfo.InvariantCulture) : null;

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
