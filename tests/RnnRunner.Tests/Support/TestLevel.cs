namespace RnnRunner.Tests.Support;

/// <summary>
/// The trait that sorts tests by what they need beyond this process: <c>make test-fast</c> leaves these out for an
/// inner loop under a minute; <c>make test</c> runs everything. Put it on a class whose every test needs it, else on the
/// test itself.
/// </summary>
public static class TestLevel
{
    public const string Key = "Level";

    /// <summary>Starts rnnrunner (or dotnet) as a process: signals, exit codes, kills, child trials, packaging.</summary>
    public const string Process = "Process";

    /// <summary>Opens pages in headless Chromium.</summary>
    public const string Browser = "Browser";

    /// <summary>Runs Slurm's scripts and a stand-in sbatch (live Slurm is <c>make test-slurm</c>).</summary>
    public const string Slurm = "Slurm";

    /// <summary>Trains on IMDB-sized data, or on every shipped example dataset.</summary>
    public const string Data = "Data";
}
