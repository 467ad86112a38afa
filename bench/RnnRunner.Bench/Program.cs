using RnnRunner.Bench;
using RnnRunner.Core.Settings;
using Serilog;

// The lab beside the product: benchmarks that time the engines, train the IMDB suite and rewrite docs/. Logs go to
// stderr as rnnrunner's do; the product itself never writes docs/.
Log.Logger = new LoggerConfiguration().MinimumLevel.Information()
    .WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}", standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose,
        formatProvider: System.Globalization.CultureInfo.InvariantCulture)
    .CreateLogger();
try
{
    foreach (var problem in Switchboard.Current.Problems) Console.Error.WriteLine($"error: environment: {problem}");
    return Switchboard.Current.Problems.Count > 0 ? BenchExit.InvalidInput : BenchCommandDefinition.Create().Parse(args).Invoke();
}
finally
{
    Log.CloseAndFlush();
}
