namespace RnnRunner.Core.Results;

/// <summary>
/// The process's peak resident set size ("high water mark"), native allocations (libtorch) included, and how often
/// the kernel had to map fresh memory in for it.
/// </summary>
public static class PeakMemory
{
    /// <summary>
    /// Minor page faults so far (Linux, field 10 of /proc/self/stat): pages the kernel mapped in and zeroed. Millions
    /// over a run mean an allocator hands memory back and asks for it again at every step.
    /// </summary>
    public static long? MinorPageFaultsOrNull()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // the command name may hold spaces
            return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

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
