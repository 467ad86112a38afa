namespace RnnRunner.Core.Data;

/// <summary>
/// Progress of a long data step — downloading, reading, tokenising — for progress bars on a terminal and
/// periodic log lines elsewhere. Reported from several threads at once; receivers must be thread-safe.
/// </summary>
/// <param name="Activity">What is happening, e.g. "tokenising reviews"; one bar per activity.</param>
/// <param name="Total">The amount when known (a server may not say a download's size).</param>
/// <param name="Unit">What Done counts: "bytes" or "reviews".</param>
public readonly record struct DataProgress(string Activity, long Done, long? Total, string Unit)
{
    public bool IsComplete => Total is { } total && Done >= total;
}
