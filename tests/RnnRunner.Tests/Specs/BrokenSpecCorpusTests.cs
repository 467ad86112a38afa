using FsCheck;
using FsCheck.Fluent;
using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Specs;

/// <summary>Every broken spec gets a clean, located error; random mutations of valid specs never crash the loader.</summary>
public class BrokenSpecCorpusTests
{
    private static readonly string Corpus = Path.Combine(Support.Specs.RepositoryRoot, "tests", "RnnRunner.Tests", "Specs", "BrokenSpecs");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Corpus, "*.yaml").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void The_corpus_holds_at_least_a_hundred_broken_specs() =>
        Assert.True(Directory.GetFiles(Corpus, "*.yaml").Length >= 100);

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_broken_spec_is_refused_with_the_expected_located_error(string name)
    {
        var path = Path.Combine(Corpus, name);
        var firstLine = File.ReadLines(path).First();
        var expected = firstLine.StartsWith("# expect:") ? firstLine["# expect:".Length..].Trim() : "";

        var e = Assert.Throws<SpecException>(() => SpecLoader.LoadFile(path));

        Assert.NotEmpty(e.Errors);
        Assert.Contains(e.Errors, error => error.Message.Contains(expected) || error.ToString().Contains(expected));
        Assert.All(e.Errors, error => Assert.Equal(path, error.Mark.Source));
        Assert.All(e.Errors, error => Assert.DoesNotContain('\n', error.ToString()));
    }

    [Fact]
    public void Validate_refuses_the_whole_corpus_with_exit_code_2_and_no_stack_trace()
    {
        var files = Directory.GetFiles(Corpus, "*.yaml").Order().ToArray();

        var (exit, stdout, stderr) = CliHarness.Run(["validate", .. files]);

        Assert.Equal(RnnRunner.Cli.ExitCodes.InvalidInput, exit);
        Assert.Equal("", stdout);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("Exception", stderr);
        Assert.All(files, f => Assert.Contains($"error: {f}", stderr));
    }

    /// <summary>Random edits of a valid spec: the loader returns a valid spec or a SpecException, nothing else.</summary>
    [Fact]
    public void Mutated_specs_only_ever_load_or_fail_cleanly()
    {
        var mutation =
            from position in Gen.Choose(0, Support.Specs.BasicRnn.Length - 1)
            from kind in Gen.Choose(0, 5)
            from length in Gen.Choose(1, 12)
            from insert in Gen.Elements("[", "]", "{", "}", ":", "-", " ", "\n", "\t", "&a", "*a", "'", "\"", "#", "0", "1e9", "-", "null", "~", "?", "|", ">", "!!str", "%", "@", "\u00ff", "\0")
            select (position, kind, length, insert);

        Prop.ForAll(Arb.From(mutation), m =>
        {
            var text = Mutate(Support.Specs.BasicRnn, m.position, m.kind, m.length, m.insert);
            try
            {
                Support.Specs.Load(text);
            }
            catch (SpecException e)
            {
                return e.Errors.Count > 0 && e.Errors.All(x => x.Message.Length > 0);
            }
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    private static string Mutate(string text, int position, int kind, int length, string insert)
    {
        length = Math.Min(length, text.Length - position);
        var lines = text.Split('\n');
        var line = position % lines.Length;
        return kind switch
        {
            0 => text.Remove(position, length),                                          // delete a run of characters
            1 => text.Insert(position, insert),                                          // insert a YAML-significant token
            2 => text[..position] + insert + text[(position + length)..],               // replace a run
            3 => string.Join('\n', lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1))), // duplicate a line
            4 => text[..position],                                                       // truncate the file
            _ => string.Join('\n', lines.Select((l, i) => i == line ? " " + l : l)),    // shift one line's indentation
        };
    }
}
