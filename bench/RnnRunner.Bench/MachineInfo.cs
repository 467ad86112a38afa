using System.Globalization;

namespace RnnRunner.Bench;

/// <summary>
/// What a benchmark ran on, read from /proc so reports can be compared across machines: the CPU and the vector
/// instructions it offers (what .NET's and libtorch's kernels choose between: the same model name can differ), the
/// cores and the threads the run was given, memory, OS and runtime.
/// </summary>
/// <param name="Isa">The wider SIMD extensions the CPU reports (<see cref="Core.Engines.Cpu"/>), or "none".</param>
/// <param name="Threads">The compute threads: --threads, or every core by default.</param>
public sealed record MachineInfo(string Cpu, string Isa, int Cores, string Threads, double MemoryGiB, string Os, string Runtime)
{
    public static MachineInfo Current(int? pinnedThreads = null)
    {
        string Read(string file, string key) =>
            File.Exists(file) ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?" : "?";
        var memKb = Read("/proc/meminfo", "MemTotal").Split(' ')[0];
        var memory = double.TryParse(memKb, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb) ? kb / 1024 / 1024 : 0;
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"') ?? "?"
            : Environment.OSVersion.ToString();
        var threads = pinnedThreads?.ToString(CultureInfo.InvariantCulture) ?? $"{Environment.ProcessorCount} (all cores)";
        return new MachineInfo(Core.Engines.Cpu.Current.Model, Core.Engines.Cpu.Current.Isa, Environment.ProcessorCount, threads,
            Math.Round(memory, 1), os, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Cpu} ({Isa}), {Cores} cores, {Threads} threads, {MemoryGiB} GiB, {Os}, {Runtime}");
}
