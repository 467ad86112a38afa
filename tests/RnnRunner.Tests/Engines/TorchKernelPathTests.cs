using RnnRunner.Engines.Torch;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Engines;

/// <summary>
/// libtorch's matrix products run oneMKL, whose kernels differ by CPU vendor (AVX-512 on Intel, AVX2 <c>zen</c> on
/// AMD: another summation order). <c>make test</c> reruns the numeric tests with <c>MKL_CBWR=COMPATIBLE</c>, oneMKL's
/// generic code, the same on every x86-64 CPU; this checks the rerun really took it, and that a run records the path.
/// </summary>
[Collection(TorchCollection.Name)]
public class TorchKernelPathTests
{
    [Fact]
    public void The_scalar_rerun_runs_libtorchs_BLAS_on_its_generic_code_and_every_other_run_on_the_CPUs_own_kernels()
    {
        var scalarRun = Environment.GetEnvironmentVariable("RNNRUNNER_EXPECT_SCRATCH_KERNELS") == "scalar";

        var blas = new TorchEngine().Versions["blas"];

        Assert.StartsWith("oneMKL 20", blas);
        Assert.EndsWith(scalarRun ? "compatible (generic code, the same on every x86-64 CPU)" : "kernels chosen per CPU", blas);
    }
}
