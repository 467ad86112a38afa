using System.Text.RegularExpressions;

namespace RnnRunner.Tests.Architecture;

/// <summary>
/// docs/ARCHITECTURE.md's "depends on" column is the rule for RnnRunner.Core's folders, and the code keeps it: a folder
/// uses only what its row names and what those rows name in turn.
/// </summary>
public partial class CoreDependencyTests
{
    private static readonly string Core = Path.Combine(Support.Specs.RepositoryRoot, "runner", "RnnRunner.Core");

    [Fact]
    public void Every_core_folder_uses_only_what_the_architecture_map_says_it_depends_on()
    {
        var declared = DeclaredDependencies();
        var violations = CoreFolders()
            .SelectMany(folder => UsedFolders(folder, declared.Keys).Except(Reachable(folder, declared)).Select(used => $"{folder} → {used}"))
            .ToList();

        Assert.True(violations.Count == 0, "not in docs/ARCHITECTURE.md's dependency table: " + string.Join(", ", violations));
    }

    [Fact]
    public void Every_core_folder_has_a_row_in_the_architecture_map()
    {
        Assert.Empty(CoreFolders().Except(DeclaredDependencies().Keys));
    }

    [Fact]
    public void The_declared_dependencies_form_no_circle()
    {
        var declared = DeclaredDependencies();
        foreach (var folder in declared.Keys)
            Assert.True(!declared[folder].SelectMany(d => Reachable(d, declared).Append(d)).Contains(folder), $"{folder} depends on itself through its dependencies");
    }

    [Fact]
    public void The_check_sees_a_folder_using_one_it_may_not()
    {
        var declared = new Dictionary<string, IReadOnlyList<string>> { ["Specs"] = [], ["Results"] = ["Specs"], ["Loading"] = ["Specs"] };
        const string code = """
            using RnnRunner.Core.Specs;
            // Results.RunFolder in a comment does not count,
            var message = "nor Results.RunFolder in a string";
            var folder = Results.RunFolder.At(path);
            """;

        Assert.Equal(["Results", "Specs"], FoldersNamedIn(code, declared.Keys).Order());
    }

    [Fact]
    public void In_the_command_line_only_composition_names_the_engines_charts_and_exporters()
    {
        var cli = Path.Combine(Support.Specs.RepositoryRoot, "runner", "RnnRunner.Cli");
        var wiring = new Regex(@"using RnnRunner\.(Engines\.\w+|Plotting|TensorBoard);|new (TorchEngine|ScratchEngine|\w+Charts?|ConfusionMatrixChart|TensorBoardExporter)\(");
        var elsewhere = Directory.EnumerateFiles(cli, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && Path.GetFileName(f) != "Composition.cs")
            .Where(f => wiring.IsMatch(StringsAndComments().Replace(File.ReadAllText(f), " ")))
            .Select(f => Path.GetRelativePath(cli, f));

        Assert.Empty(elsewhere);
    }

    /// <summary>Folder → the folders its row names, from docs/ARCHITECTURE.md.</summary>
    private static Dictionary<string, IReadOnlyList<string>> DeclaredDependencies() =>
        File.ReadLines(Path.Combine(Support.Specs.RepositoryRoot, "docs", "ARCHITECTURE.md"))
            .Select(line => Row().Match(line))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups["folder"].Value, m => (IReadOnlyList<string>)(m.Groups["uses"].Value.Trim() == "nothing"
                ? []
                : m.Groups["uses"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));

    private static IEnumerable<string> CoreFolders() =>
        Directory.GetDirectories(Core).Select(Path.GetFileName).OfType<string>().Where(n => n is not ("bin" or "obj"));

    private static HashSet<string> Reachable(string folder, IReadOnlyDictionary<string, IReadOnlyList<string>> declared)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>(declared.GetValueOrDefault(folder) ?? []);
        while (pending.TryPop(out var next))
            if (seen.Add(next))
                foreach (var further in declared.GetValueOrDefault(next) ?? []) pending.Push(further);
        return seen;
    }

    private static IEnumerable<string> UsedFolders(string folder, IEnumerable<string> known) =>
        Directory.EnumerateFiles(Path.Combine(Core, folder), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => FoldersNamedIn(File.ReadAllText(file), known))
            .Where(used => used != folder)
            .Distinct();

    /// <summary>The Core folders a file names: in using directives and as qualifiers (Results.RunFolder), comments and strings aside.</summary>
    private static IEnumerable<string> FoldersNamedIn(string code, IEnumerable<string> known)
    {
        var bare = StringsAndComments().Replace(code, " ");
        var names = string.Join('|', known);
        return new Regex($@"using RnnRunner\.Core\.(?<f>{names})\b|(?<![\w.])(?:RnnRunner\.Core\.|Core\.)?(?<f>{names})\.[A-Z]")
            .Matches(bare).Select(m => m.Groups["f"].Value).Distinct();
    }

    [GeneratedRegex(@"^\| `RnnRunner\.Core/(?<folder>\w+)/` \|.*\| (?<uses>[^|]+) \|\s*$")]
    private static partial Regex Row();

    [GeneratedRegex(@"""""""[\s\S]*?""""""|@""(?:[^""]|"""")*""|""(?:[^""\\\n]|\\.)*""|//[^\n]*|/\*[\s\S]*?\*/")]
    private static partial Regex StringsAndComments();
}
