using System.Globalization;
using System.Text;

namespace RnnRunner.Bench;

/// <summary>What every benchmark report starts with, and how it prints numbers.</summary>
public static class BenchmarkReport
{
    /// <summary>The title, the date and machine, and the command that produced the report.</summary>
    public static StringBuilder Start(string title, DateTime started, string command)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# {title}");
        sb.AppendLine();
        sb.AppendLine($"Measured {started:yyyy-MM-dd} on {MachineInfo.Current()}, with");
        sb.AppendLine();
        sb.AppendLine("```bash");
        sb.AppendLine(command);
        sb.AppendLine("```");
        sb.AppendLine();
        return sb;
    }

    /// <summary>A number in the invariant culture, or an en dash when there is none.</summary>
    public static string Number(double? value, string format) =>
        value is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "–";
}
