using RnnRunner.Cli;

namespace RnnRunner.Tests.Support;

/// <summary>Runs the command line in-process with captured stdout and stderr.</summary>
public static class CliHarness
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CliApplication.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public static string Example(string folder, string name) => Path.Combine(Specs.RepositoryRoot, "experiments", folder, name);
}
