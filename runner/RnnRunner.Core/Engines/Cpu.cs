namespace RnnRunner.Core.Engines;

/// <summary>
/// The processor as /proc/cpuinfo names it: its model and the wider vector extensions it offers — what .NET's,
/// oneDNN's and OpenBLAS' kernels choose between, so two machines with one model name can still differ.
/// </summary>
/// <param name="Isa">AVX2, FMA, AVX-512F, AVX-512 VNNI, AVX-512 BF16, AMX: those present, in that order, or "none".</param>
public sealed record Cpu(string Model, string Isa)
{
    private static readonly (string Flag, string Name)[] Extensions =
        [("avx2", "AVX2"), ("fma", "FMA"), ("avx512f", "AVX-512F"), ("avx512_vnni", "AVX-512 VNNI"), ("avx512_bf16", "AVX-512 BF16"), ("amx_tile", "AMX")];

    public static Cpu Current { get; } = Read("/proc/cpuinfo");

    /// <summary>The extensions named in a /proc/cpuinfo <c>flags</c> line, in a fixed order.</summary>
    public static string IsaOf(string flags)
    {
        var present = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var names = Extensions.Where(e => present.Contains(e.Flag)).Select(e => e.Name).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    private static Cpu Read(string cpuinfo)
    {
        string Field(string key) => File.Exists(cpuinfo)
            ? File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        return new Cpu(Field("model name"), IsaOf(Field("flags")));
    }

    public override string ToString() => $"{Model} ({Isa})";
}
