using RnnRunner.Core.Settings;

namespace RnnRunner.Core.Data;

/// <summary>Where datasets are looked for and derived files are cached; from the environment by default.</summary>
/// <param name="DataRoot">Local dataset copies (the Makefile links the shared datasets here): $RNNRUNNER_DATA or ./data.</param>
/// <param name="CacheRoot">Downloads and tokenised data: $RNNRUNNER_CACHE, else $XDG_CACHE_HOME/rnnrunner, else ~/.cache/rnnrunner.</param>
public sealed record DataEnvironment(string DataRoot, string CacheRoot)
{
    /// <summary>Told about downloads, reading and tokenising as they go.</summary>
    public IProgress<DataProgress>? Progress { get; init; }

    /// <summary>
    /// What a trained run fixes about its inputs, for evaluating it on other data: the vocabulary texts are encoded
    /// with (instead of one built from these data) and a series' normalisation statistics (instead of refitted ones).
    /// </summary>
    public TrainedInputs? Trained { get; init; }

    public static DataEnvironment Of(Switchboard switches) =>
        new(Path.GetFullPath(switches.DataRoot ?? "data"), Path.GetFullPath(switches.CacheRoot));

    /// <summary>This process's (<see cref="Switchboard.Current"/>).</summary>
    public static DataEnvironment FromEnvironment() => Of(Switchboard.Current);
}
