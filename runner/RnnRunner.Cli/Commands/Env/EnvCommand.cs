using RnnRunner.Core.Settings;

namespace RnnRunner.Cli.Commands.Env;

/// <summary>
/// <c>rnnrunner env</c>: every environment switch RnnRunner reads or relies on, and what this shell has set — the first
/// thing to look at when two machines disagree. <c>--markdown</c> prints docs/ENVIRONMENT.md.
/// </summary>
public static class EnvCommand
{
    public static int Execute(bool markdown, bool json, TextWriter output, TextWriter errors)
    {
        var switches = Switchboard.Current;
        if (markdown) output.Write(Switchboard.Markdown());
        else if (json)
            JsonOutput.Write(output, Switchboard.Known.Select(s => new
            {
                s.Name, Group = s.Group.ToString(), Value = switches.Set.GetValueOrDefault(s.Name), InCalibrationKey = s.ChangesKernels, s.ReadBy, s.Effect,
            }));
        else
        {
            var width = Switchboard.Known.Max(s => s.Name.Length);
            foreach (var group in Switchboard.Known.GroupBy(s => s.Group))
            {
                output.WriteLine($"{group.Key}:");
                foreach (var s in group)
                    output.WriteLine($"  {s.Name.PadRight(width)}  {(switches.Set.TryGetValue(s.Name, out var value) ? value : "(not set)")}");
            }
            output.WriteLine("What each does: docs/ENVIRONMENT.md (or rnnrunner env --markdown).");
        }
        foreach (var problem in switches.Problems) errors.WriteLine($"error: environment: {problem}");
        return switches.Problems.Count > 0 ? ExitCodes.InvalidInput : ExitCodes.Success;
    }
}
