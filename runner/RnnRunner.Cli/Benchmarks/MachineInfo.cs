using System.Globalization;

namespace RnnRunner.Cli.Benchmarks;

/// <summary>What a benchmark ran on, read from /proc so reports can be compared across machines.</summary>
public sealed record MachineInfo(string Cpu, int Cores, double MemoryGiB, string Os, string Runtime)
{
    public static MachineInfo Current()
    {
        string Read(string file, string key) =>
            File.Exists(file) ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?" : "?";
        var memKb = Read("/proc/meminfo", "MemTotal").Split(' ')[0];
        var memory = double.TryParse(memKb, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb / 1024 / 1024 : 0;
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"') ?? "?"
            : Environment.OSVersion.ToString();
        return new MachineInfo(Read("/proc/cpuinfo", "model name"), Environment.ProcessorCount, Math.Round(memory, 1), os,
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Cpu}, {Cores} cores, {MemoryGiB} GiB, {Os}, {Runtime}");
}
