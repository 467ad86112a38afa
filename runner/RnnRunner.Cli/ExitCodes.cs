namespace RnnRunner.Cli;

/// <summary>The process exit codes, documented in docs/guide/using.md.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The run started but failed or diverged (its folder says why).</summary>
    public const int RunFailed = 1;
    /// <summary>A spec, option or data path is invalid; nothing was run.</summary>
    public const int InvalidInput = 2;
    /// <summary>Stopped by Ctrl-C or SIGTERM (128 + SIGINT, the shell convention).</summary>
    public const int Interrupted = 130;
}
