using System.Diagnostics;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Packaging;

/// <summary>`dotnet pack` makes an installable .NET tool (it bundles libtorch: a 137 MB package).</summary>
[Trait(TestLevel.Key, TestLevel.Process)]
public class DotnetToolTests
{
    private static (int Exit, string Output) Dotnet(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static (int Exit, string Output) Tool(string path, params string[] args)
    {
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    [Fact]
    public void The_packed_tool_installs_into_a_tool_path_and_runs()
    {
        using var temp = new TempDirectory();
        var project = Path.Combine(Support.Specs.RepositoryRoot, "runner", "RnnRunner.Cli", "RnnRunner.Cli.csproj");

        // The test run has just built the program in Release: packing that build takes seconds, rebuilding it half a
        // minute. A checkout where it is not built packs with a build.
        var pack = Dotnet("pack", project, "-c", "Release", "--no-build", "-o", temp.File("packages"), "--nologo", "-v", "q", "-tl:off");
        if (pack.Exit != 0) pack = Dotnet("pack", project, "-c", "Release", "-o", temp.File("packages"), "--nologo", "-v", "q", "-tl:off");
        Assert.True(pack.Exit == 0, pack.Output);
        var install = Dotnet("tool", "install", "RnnRunner", "--tool-path", temp.File("tools"),
            "--add-source", temp.File("packages"), "--version", "0.1.0");
        Assert.True(install.Exit == 0, install.Output);

        var (exit, version) = Tool(temp.File("tools/rnnrunner"), "--version");
        Assert.Equal(0, exit);
        Assert.StartsWith("0.1.0", version.Trim());
        var (summaryExit, summary) = Tool(temp.File("tools/rnnrunner"), "summary", "builtin:basic-rnn");
        Assert.Equal(0, summaryExit);
        Assert.Contains("Total params: 2,113", summary);
    }
}
