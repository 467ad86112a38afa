using System.Runtime.Intrinsics;
using RnnRunner.Engines.Scratch;

namespace RnnRunner.Tests.Engines.Scratch;

/// <summary>
/// Which of the scratch engine's kernel sets runs follows what the processor (or the runtime's switches) allow, and
/// <c>make test</c> really covers the paths it claims: it reruns the scratch tests with AVX-512 and then AVX2 off and
/// names the path it expects in RNNRUNNER_EXPECT_SCRATCH_KERNELS.
/// </summary>
public class KernelPathTests
{
    [Fact]
    public void The_kernel_path_is_the_widest_the_runtime_accelerates()
    {
        var expected = Vector512.IsHardwareAccelerated ? "scratch avx512" : Vector256.IsHardwareAccelerated ? "scratch avx2" : "scratch scalar";

        Assert.StartsWith(expected, new ScratchEngine(threads: 1).RecurrentKernels);
    }

    [Fact]
    public void The_kernel_path_is_the_one_this_test_run_was_started_for()
    {
        var expected = Environment.GetEnvironmentVariable("RNNRUNNER_EXPECT_SCRATCH_KERNELS") is { Length: > 0 } isa
            ? isa
            : Vector512.IsHardwareAccelerated ? "avx512" : Vector256.IsHardwareAccelerated ? "avx2" : "scalar"; // a plain `dotnet test`

        Assert.StartsWith($"scratch {expected} ", new ScratchEngine(threads: 1).RecurrentKernels);
    }
}
