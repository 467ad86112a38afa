using System.CommandLine;
using RnnRunner.Cli.Commands;
using RnnRunner.Cli.Commands.Compare;
using RnnRunner.Cli.Commands.Grid;
using RnnRunner.Cli.Commands.Predict;
using RnnRunner.Cli.Commands.Resume;
using RnnRunner.Cli.Commands.Run;
using RnnRunner.Cli.Commands.Runs;
using RnnRunner.Cli.Commands.Schema;
using RnnRunner.Cli.Commands.Summary;
using RnnRunner.Cli.Commands.Validate;
using RnnRunner.Cli.Terminal;
using RnnRunner.Core.Settings;
using Serilog;

namespace RnnRunner.Cli;

/// <summary>Builds the command tree, sets up logging once, and turns every failure into an exit code.</summary>
public static class CliApplication
{
    public static RootCommand CreateRootCommand() => new("RnnRunner: run recurrent-network experiments from YAML specs.")
    {
        SharedOptions.Quiet,
        SharedOptions.Verbose,
        SharedOptions.Json,
        SharedOptions.Threads,
        RunCommandDefinition.Create(),
        ResumeCommandDefinition.Create(),
        GridCommandDefinition.Create(),
        Commands.Search.SearchCommandDefinition.Create(),
        Commands.Submit.SubmitCommandDefinition.Create(),
        CompareCommandDefinition.Create(),
        RunsCommandDefinition.Create(),
        Commands.Status.StatusCommandDefinition.Create(),
        ValidateCommandDefinition.Create(),
        SummaryCommandDefinition.Create(),
        PredictCommandDefinition.Create(),
        Commands.Evaluate.EvaluateCommandDefinition.Create(),
        SchemaCommandDefinition.Create(),
        Commands.Env.EnvCommandDefinition.Create(),
        Commands.Trace.TraceCommandDefinition.Create(),
        Commands.Explain.ExplainCommandDefinition.Create(),
        Commands.Export.ExportCommandDefinition.Create(),
        Commands.Reference.ReferenceCommandDefinition.Create(),
    };

    public static int Run(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var output = new ConsoleStreams(new EscapingTextWriter(stdout ?? Console.Out), new EscapingTextWriter(stderr ?? Console.Error));
        var parse = CreateRootCommand().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) output.Error.WriteLine($"error: {error.Message}");
            output.Error.WriteLine("Run 'rnnrunner --help' for usage.");
            return ExitCodes.InvalidInput;
        }

        if (Switchboard.Current.Problems.Count > 0 && parse.CommandResult.Command.Name != "env") // env shows them among the values
        {
            // Read once, here, before anything acts on them: a misspelt switch must not silently mean its default.
            foreach (var problem in Switchboard.Current.Problems) output.Error.WriteLine($"error: environment: {problem}");
            return ExitCodes.InvalidInput;
        }
        Log.Logger = ConsoleLogging.Create(output, parse.GetValue(SharedOptions.Quiet), parse.GetValue(SharedOptions.Verbose));
        try
        {
            // Interrupts are handled by our own safe-point cancellation (Interrupts), not by the library's.
            return parse.Invoke(new InvocationConfiguration
            {
                ProcessTerminationTimeout = null,
                EnableDefaultExceptionHandler = false,
                Output = output.Out,
                Error = output.Error,
            });
        }
        catch (Exception e)
        {
            // A bug, not bad input: one line on the console, the details in the log.
            Log.Fatal(e, "Unexpected error");
            output.Error.WriteLine($"error: unexpected {e.GetType().Name}: {e.Message}");
            return ExitCodes.RunFailed;
        }
        finally
        {
            Log.CloseAndFlush();
        }
    }
}

/// <summary>Where results (stdout) and logs, progress and errors (stderr) go; tests pass string writers.</summary>
public sealed record ConsoleStreams(TextWriter Out, TextWriter Error)
{
    public bool IsInteractive => ReferenceEquals(Error is EscapingTextWriter escaping ? escaping.Inner : Error, Console.Error) && !Console.IsErrorRedirected
        && !Switchboard.Current.ContinuousIntegration;
}
