using System.Text.RegularExpressions;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Cli;

/// <summary>
/// Every command in the README and the guide (docs/guide/) that takes seconds works verbatim: each <c>./rnnrunner …</c>
/// line of their bash blocks runs through bash in a scratch checkout (a copy of experiments/, results written there), where ./rnnrunner is
/// the CLI built beside these tests. Lines with placeholders (…, my.yaml), IMDB training and benchmarks take minutes
/// or need a finished run; they are listed, so a new README line is either run here or knowingly left out.
/// </summary>
[Trait(TestLevel.Key, TestLevel.Process)]
[Collection(TorchCollection.Name)]
public partial class ReadmeExamplesTests
{
    [GeneratedRegex(@"```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    private static readonly string[] TakesMinutesOrNeedsARun = ["…", "my.yaml", "experiments/imdb", " bench ", "results/lstm"];

    public static TheoryData<string> QuickCommands()
    {
        var data = new TheoryData<string>();
        foreach (var command in ReadmeCommands().Where(c => !TakesMinutesOrNeedsARun.Any(c.Contains))) data.Add(command);
        return data;
    }

    /// <summary>The README and every page of the guide: the documents whose examples must work.</summary>
    public static IEnumerable<string> Documents() =>
        [Path.Combine(Support.Specs.RepositoryRoot, "README.md"),
            .. Directory.GetFiles(Path.Combine(Support.Specs.RepositoryRoot, "docs", "guide"), "*.md").Order(StringComparer.Ordinal)];

    private static IEnumerable<string> ReadmeCommands() =>
        Documents().SelectMany(d => BashBlock().Matches(File.ReadAllText(d)))
            .SelectMany(m => m.Groups[1].Value.Split('\n'))
            .Select(line => line.Split(" # ")[0].Trim())
            .Where(line => line.StartsWith("./rnnrunner ", StringComparison.Ordinal) || line == "./rnnrunner")
            .Distinct();

    [Fact]
    public void The_readme_lists_quick_commands_for_every_everyday_task()
    {
        var quick = ReadmeCommands().Where(c => !TakesMinutesOrNeedsARun.Any(c.Contains)).ToList();

        foreach (var verb in new[] { "run", "validate", "summary", "trace", "grid", "schema", "--help" })
            Assert.Contains(quick, c => c.StartsWith($"./rnnrunner {verb}", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(QuickCommands))]
    public void A_readme_command_runs_verbatim_and_succeeds(string command)
    {
        using var checkout = new TempDirectory();
        CopyDirectory(Path.Combine(Support.Specs.RepositoryRoot, "experiments"), checkout.File("experiments"));
        File.WriteAllText(checkout.File("rnnrunner"), $"#!/usr/bin/env bash\nexec '{CliProcess.Executable}' \"$@\"\n");

        var (exit, stdout, stderr) = CliProcess.RunShell($"chmod +x rnnrunner && {command}", checkout.Path);

        Assert.True(exit == 0, $"{command} exited {exit}:\n{stderr}");
        Assert.DoesNotContain("   at ", stderr);
        if (command.StartsWith("./rnnrunner run ", StringComparison.Ordinal)) Assert.Contains("Results: results/", stdout);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var folder in Directory.GetDirectories(from)) CopyDirectory(folder, Path.Combine(to, Path.GetFileName(folder)));
    }
}
