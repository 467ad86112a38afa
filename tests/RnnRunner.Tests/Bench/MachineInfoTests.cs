using RnnRunner.Bench;

namespace RnnRunner.Tests.Bench;

/// <summary>Every benchmark report names the CPU's vector extensions, since the same model name can differ in them.</summary>
public class MachineInfoTests
{
    [Theory]
    [InlineData("fpu vme sse sse2 avx avx2 fma avx512f avx512dq avx512_bf16 avx512_vnni", "AVX2, FMA, AVX-512F, AVX-512 VNNI, AVX-512 BF16")]
    [InlineData("fpu sse sse2 avx avx2 fma", "AVX2, FMA")]
    [InlineData("fpu sse sse2 amx_tile avx2", "AVX2, AMX")]
    [InlineData("fpu sse sse2", "none")]
    public void The_isa_lists_the_wider_vector_extensions_the_cpu_flags_name(string flags, string isa) =>
        Assert.Equal(isa, Core.Engines.Cpu.IsaOf(flags));

    [Fact]
    public void A_report_header_names_the_isa_and_the_threads() =>
        Assert.Matches(@"^.+ \(.+\), \d+ cores, \d+( \(all cores\))? threads, ", MachineInfo.Current().ToString());
}
