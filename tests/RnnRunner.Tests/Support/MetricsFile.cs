using RnnRunner.Core.Results;

namespace RnnRunner.Tests.Support;

/// <summary>metrics.csv as two identical runs share it: every column but the timings (wall, CPU, the machine's load).</summary>
public static class MetricsFile
{
    public static string[] WithoutTimings(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var kept = Enumerable.Range(0, header.Length).Where(i => !MetricsCsv.TimingColumns.Contains(header[i])).ToArray();
        return lines.Select(line => string.Join(',', kept.Select(i => line.Split(',')[i]))).ToArray();
    }
}
