namespace RnnRunner.Core.Results;

/// <summary>How a run stands, as summary.json records it from start to end.</summary>
public enum RunStatus { Running, Completed, Failed, Interrupted, Diverged }
