using System.Text.RegularExpressions;
using RnnRunner.Cli;
using RnnRunner.Cli.Commands.Reference;
using RnnRunner.Core.Loading;

namespace RnnRunner.Tests.Cli;

/// <summary>
/// The docs cannot drift from the tool: the CLI reference is what the command definitions generate, every complete
/// spec shown validates, every relative link leads to a file, and the README stays a front page.
/// </summary>
public partial class DocsTests
{
    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    [GeneratedRegex(@"\]\(([^)#\s]+)(#[^)]*)?\)")]
    private static partial Regex Link();

    private static string Root => Support.Specs.RepositoryRoot;

    [Fact]
    public void The_command_line_reference_is_what_the_command_definitions_generate()
    {
        var committed = File.ReadAllText(Path.Combine(Root, "docs", "guide", "cli.md"));

        Assert.True(committed == ReferenceCommand.Markdown(CliApplication.CreateRootCommand()),
            "docs/guide/cli.md is stale: run ./rnnrunner reference > docs/guide/cli.md");
    }

    public static TheoryData<string, int> CompleteSpecs()
    {
        var data = new TheoryData<string, int>();
        foreach (var document in ReadmeExamplesTests.Documents())
        {
            var blocks = YamlBlock().Matches(File.ReadAllText(document)).Select(m => m.Groups[1].Value).ToList();
            for (var i = 0; i < blocks.Count; i++)
                if (IsCompleteSpec(blocks[i])) data.Add(Path.GetRelativePath(Root, document), i);
        }
        return data;
    }

    /// <summary>A whole spec rather than a fragment: it names itself and has data, a model and training.</summary>
    private static bool IsCompleteSpec(string yaml) =>
        new[] { "name:", "data:", "model:", "training:" }.All(key => yaml.Split('\n').Any(l => l.StartsWith(key, StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(CompleteSpecs))]
    public void Every_complete_spec_in_the_docs_is_valid_as_shown(string document, int block)
    {
        var yaml = YamlBlock().Matches(File.ReadAllText(Path.Combine(Root, document)))[block].Groups[1].Value;

        var loaded = SpecLoader.LoadText(yaml, $"{document} (yaml block {block})");

        Assert.NotEmpty(loaded.Plan.Layers);
    }

    [Fact]
    public void The_readme_and_the_guide_show_at_least_one_complete_spec()
    {
        Assert.Contains(CompleteSpecs(), row => (string)row[0] == "README.md");
    }

    [Fact]
    public void Every_relative_link_in_the_readme_and_the_docs_leads_to_a_file()
    {
        var documents = ReadmeExamplesTests.Documents().Concat(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md"));
        var broken = documents.SelectMany(d => Link().Matches(File.ReadAllText(d)).Select(m => (Document: d, Target: m.Groups[1].Value)))
            .Where(l => !l.Target.Contains("://", StringComparison.Ordinal) && !l.Target.StartsWith("mailto:", StringComparison.Ordinal))
            .Where(l => !Path.Exists(Path.Combine(Path.GetDirectoryName(l.Document)!, Uri.UnescapeDataString(l.Target))))
            .Select(l => $"{Path.GetRelativePath(Root, l.Document)} → {l.Target}")
            .ToList();

        Assert.True(broken.Count == 0, "links to nothing: " + string.Join(", ", broken));
    }

    [Fact]
    public void The_readme_is_a_front_page_and_the_reference_lives_in_the_guide()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "README.md"));

        Assert.True(lines.Length <= 250, $"README.md has {lines.Length} lines: move reference material into docs/guide/");
        foreach (var page in Directory.GetFiles(Path.Combine(Root, "docs", "guide"), "*.md").Where(p => !p.EndsWith("README.md", StringComparison.Ordinal)))
            Assert.Contains($"docs/guide/{Path.GetFileName(page)}", string.Join('\n', lines));
    }
}
