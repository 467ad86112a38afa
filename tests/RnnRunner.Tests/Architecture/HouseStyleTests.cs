namespace RnnRunner.Tests.Architecture;

/// <summary>
/// The one part of the house style the compiler does not check (it checks formatting and file-scoped namespaces in
/// every build, EnforceCodeStyleInBuild): each C# file's usings are one block, System first, then in ordinal order —
/// what <c>make format</c> writes.
/// </summary>
public class HouseStyleTests
{
    private static readonly string[] Projects = ["runner", "bench", "tests"];

    [Fact]
    public void Every_source_file_orders_its_usings_as_make_format_writes_them()
    {
        var misordered = Projects.Select(p => Path.Combine(Support.Specs.RepositoryRoot, p))
            .SelectMany(root => Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(file => !InHouseOrder(Usings(File.ReadLines(file))))
            .Select(file => Path.GetRelativePath(Support.Specs.RepositoryRoot, file))
            .ToList();

        Assert.True(misordered.Count == 0, "usings out of order (run make format): " + string.Join(", ", misordered));
    }

    [Theory]
    [InlineData(new[] { "using System.Text;", "using RnnRunner.Core;" }, true)]
    [InlineData(new[] { "using RnnRunner.Core;", "using System.Text;" }, false)] // System first
    [InlineData(new[] { "using System;", "using System.Text;", "using RnnRunner.Core.Specs;", "using RnnRunner.Core.Data;" }, false)]
    [InlineData(new[] { "using System.Text;", "using static System.Math;", "using Alias = RnnRunner.Core.Specs;" }, true)]
    public void The_check_knows_the_house_order(string[] lines, bool expected)
    {
        Assert.Equal(expected, InHouseOrder(Usings(lines)));
    }

    /// <summary>The plain using directives at the top of a file (static and alias ones follow them and are left alone).</summary>
    private static List<string> Usings(IEnumerable<string> lines) =>
        [.. lines.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal) || l.Length == 0 || l.StartsWith("//", StringComparison.Ordinal))
            .Where(l => l.StartsWith("using ", StringComparison.Ordinal) && !l.StartsWith("using static ", StringComparison.Ordinal) && !l.Contains('='))
            .Select(l => l["using ".Length..].TrimEnd(';', ' '))];

    private static bool InHouseOrder(List<string> names)
    {
        static bool IsSystem(string name) => name == "System" || name.StartsWith("System.", StringComparison.Ordinal);
        var ordered = names.OrderBy(n => IsSystem(n) ? 0 : 1).ThenBy(n => n, StringComparer.OrdinalIgnoreCase).ToList();
        return ordered.SequenceEqual(names);
    }
}
