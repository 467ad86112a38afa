using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Yaml;
using RnnRunner.Tests.Support;

namespace RnnRunner.Tests.Specs;

/// <summary>Malformed and hostile YAML gets one clear, located error, never an exception of another type.</summary>
public class YamlInputTests
{
    private static SpecError ErrorOf(string yaml) => Assert.Single(Support.Specs.ErrorsOf(yaml));

    [Fact]
    public void Syntax_errors_name_the_line_and_column()
    {
        var unclosed = ErrorOf("name: x\nmodel: [a, b\ntraining: {}\n");
        Assert.Equal(2, unclosed.Mark.Line);
        Assert.StartsWith("is not valid YAML", unclosed.Message);

        var badIndent = ErrorOf("name: x\ndata:\n  dataset: a\n bad: 1\n");
        Assert.Equal((4, 2), (badIndent.Mark.Line, badIndent.Mark.Column));
        Assert.StartsWith("is not valid YAML", badIndent.Message);
    }

    [Fact]
    public void Duplicate_keys_are_refused_and_point_at_the_first_one()
    {
        var error = ErrorOf(Support.Specs.BasicRnn.Replace("seed: 7", "seed: 7\nseed: 8"));

        Assert.Equal(3, error.Mark.Line);
        Assert.Equal("repeats the key 'seed' (first at line 2); each key may appear once", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n...\n")]
    public void Empty_files_say_what_a_spec_needs(string yaml) =>
        Assert.Contains("is empty", ErrorOf(yaml).Message);

    [Fact]
    public void Several_documents_are_refused() =>
        Assert.Contains("several YAML documents", ErrorOf("name: a\n---\nname: b\n").Message);

    [Fact]
    public void Alias_bombs_are_stopped_before_they_expand()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + string.Concat(Enumerable.Range(0, 8).Select(i => $"{(char)('b' + i)}: &{(char)('b' + i)} [{string.Join(", ", Enumerable.Repeat($"*{(char)('a' + i)}", 10))}]\n"));

        Assert.Contains("expands to more than", ErrorOf(yaml).Message);
    }

    [Fact]
    public void Deep_nesting_is_refused() =>
        Assert.Contains("nests deeper than", ErrorOf("a: " + new string('[', 200) + new string(']', 200)).Message);

    [Fact]
    public void Invalid_utf8_names_the_file_and_line()
    {
        var bytes = "name: ok\nseed: "u8.ToArray().Concat(new byte[] { 0xff, 0xfe, (byte)'\n' }).ToArray();

        var error = Assert.Single(Assert.Throws<SpecException>(() => YamlTreeReader.ReadBytes(bytes, "bad.yaml")).Errors);

        Assert.Equal("bad.yaml:2:7: is not valid UTF-8 text", error.ToString());
    }

    [Fact]
    public void A_directory_or_a_missing_file_is_named_as_such()
    {
        using var temp = new TempDirectory();

        Assert.Contains("is a directory", Assert.Throws<SpecException>(() => SpecLoader.LoadFile(temp.Path)).Message);
        Assert.Contains("no such file", Assert.Throws<SpecException>(() => SpecLoader.LoadFile(temp.File("nope.yaml"))).Message);
    }

    [Fact]
    public void A_spec_that_is_not_a_mapping_is_a_type_error() =>
        Assert.Equal("expected a mapping, got a list", ErrorOf("- a\n- b\n").Message);

    [Fact]
    public void Aliases_within_limits_are_expanded_normally()
    {
        var yaml = Support.Specs.BasicRnn.Replace("    output_dim: 8", "    output_dim: &width 8")
            .Replace("    units: 16", "    units: *width");

        Assert.Equal(8, ((SimpleRnnLayerSpec)Support.Specs.Load(yaml).Spec.Model[1]).Units);
    }
}
