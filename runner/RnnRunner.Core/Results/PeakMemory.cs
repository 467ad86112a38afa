namespace RnnRunner.Core.Results;

/// <summary>The process's peak resident set size ("high water mark"), native allocations (libtorch) included.</summary>
public static class PeakMemory
{
    public static double? MegabytesOrNull()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is null) return null;
            var kib = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            return Math.Round(kib / 1024.0, 1);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
