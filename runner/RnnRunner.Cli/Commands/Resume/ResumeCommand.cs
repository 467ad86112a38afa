using RnnRunner.Cli.Commands.Run;
using RnnRunner.Cli.Terminal;
using RnnRunner.Core.Grids;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Core.Specs;

namespace RnnRunner.Cli.Commands.Resume;

/// <summary><c>rnnrunner resume</c>: continue an interrupted run in its folder (the training itself is run's).</summary>
public static class ResumeCommand
{
    public static int Execute(string runFolder, bool json, ConsoleStreams console, Composition parts)
    {
        RunFolder folder;
        try
        {
            folder = RunFolder.Open(runFolder);
        }
        catch (DirectoryNotFoundException e)
        {
            console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        var resultsRoot = Path.GetDirectoryName(Path.GetDirectoryName(folder.Path))!;
        try
        {
            return RunCommand.Train(console, json, resultsRoot, parts, (run, options, token) => run.Resume(folder, options, token),
                indexRoot: GridFolder.IsTrial(folder.Path) || !ResultsIndexPage.IsResultsRoot(resultsRoot) ? null : resultsRoot);
        }
        catch (Exception e) when (e is ResumeException or SpecException)
        {
            console.Error.WriteLine($"error: {e.Message.Split(Environment.NewLine)[0]}");
            return ExitCodes.InvalidInput;
        }
    }

}
