namespace RnnRunner.Core.Results;

/// <summary>
/// How a run stands, as summary.json records it from start to end. A study's trials may also stop <see cref="Paused"/>
/// (at an ASHA rung, waiting to be promoted: its checkpoint continues it) or <see cref="Pruned"/> (stopped for good).
/// </summary>
public enum RunStatus { Running, Completed, Failed, Interrupted, Diverged, Paused, Pruned }
