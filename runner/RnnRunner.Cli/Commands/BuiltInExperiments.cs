using System.Reflection;

namespace RnnRunner.Cli.Commands;

/// <summary>
/// The default experiment shipped inside the program (a copy of experiments/basics/basic-rnn.yaml), so that
/// `rnnrunner run` works anywhere, even from an installed tool with no repository around it.
/// </summary>
public static class BuiltInExperiments
{
    public const string DefaultName = "builtin:basic-rnn";

    public static string DefaultSpec()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("RnnRunner.Cli.basic-rnn.yaml")
            ?? throw new InvalidOperationException("the built-in spec is missing from this build");
        return new StreamReader(stream).ReadToEnd();
    }
}
