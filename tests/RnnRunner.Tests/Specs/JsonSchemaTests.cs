using System.Globalization;
using System.Text.Json.Nodes;
using Json.Schema;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Tests.Specs;

/// <summary>The editor schema is generated from the spec types and agrees with the loader.</summary>
public class JsonSchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(JsonSchemaGenerator.Generate());

    /// <summary>YAML → JSON with the loader's scalar rules: plain numbers, booleans and null are typed; the rest are strings.</summary>
    private static JsonNode? ToJson(SpecNode node) => node switch
    {
        MappingNode m => new JsonObject(m.Entries.Select(e => KeyValuePair.Create(e.Key.Value, ToJson(e.Value)))),
        SequenceNode s => new JsonArray(s.Items.Select(ToJson).ToArray()),
        ScalarNode { IsNull: true } => null,
        ScalarNode { IsPlain: true, Value: "true" or "false" } b => JsonValue.Create(b.Value == "true"),
        ScalarNode { IsPlain: true } s when long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        ScalarNode { IsPlain: true } s when double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonValue.Create(d),
        ScalarNode s => JsonValue.Create(s.Value),
        _ => throw new InvalidOperationException(),
    };

    private static bool Valid(string yaml) => Conforms(Schema, yaml);

    private static bool Conforms(JsonSchema schema, string yaml)
    {
        var json = ToJson(YamlTreeReader.ReadText(yaml, "test.yaml"))?.ToJsonString() ?? "null";
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return schema.Evaluate(document.RootElement).IsValid;
    }

    [Fact]
    public void The_committed_schema_is_exactly_what_the_spec_types_generate()
    {
        var committed = File.ReadAllText(Path.Combine(Support.Specs.RepositoryRoot, "experiments", "experiment.schema.json"));

        Assert.True(committed == JsonSchemaGenerator.Generate(),
            "experiments/experiment.schema.json is stale: run ./rnnrunner schema -o experiments/experiment.schema.json");
    }

    [Fact]
    public void The_committed_grid_schema_is_exactly_what_the_grid_types_generate()
    {
        var committed = File.ReadAllText(Path.Combine(Support.Specs.RepositoryRoot, "experiments", "grid.schema.json"));

        Assert.True(committed == JsonSchemaGenerator.Generate(SpecFileKind.Grid),
            "experiments/grid.schema.json is stale: run ./rnnrunner schema --grid -o experiments/grid.schema.json");
    }

    [Fact]
    public void Every_example_grid_validates_against_the_grid_schema_and_points_at_it()
    {
        var schema = JsonSchema.FromText(JsonSchemaGenerator.Generate(SpecFileKind.Grid));
        var grids = Support.Specs.ExampleGrids().ToList();

        Assert.NotEmpty(grids);
        foreach (var file in grids)
        {
            var text = File.ReadAllText(file);
            Assert.StartsWith("# yaml-language-server: $schema=../grid.schema.json\n", text);
            Assert.True(Conforms(schema, text), $"{file} does not validate against the grid schema");
        }
        Assert.False(Conforms(schema, File.ReadAllText(grids[0]).Replace("seeds:", "seed:")), "a misspelt grid key passed the grid schema");
    }

    [Fact]
    public void The_committed_study_schema_is_exactly_what_the_study_types_generate_and_every_example_study_follows_it()
    {
        var committed = File.ReadAllText(Path.Combine(Support.Specs.RepositoryRoot, "experiments", "study.schema.json"));
        var schema = JsonSchema.FromText(committed);
        var studies = Support.Specs.ExampleStudies().ToList();

        Assert.True(committed == JsonSchemaGenerator.Generate(SpecFileKind.Study),
            "experiments/study.schema.json is stale: run ./rnnrunner schema --study -o experiments/study.schema.json");
        Assert.NotEmpty(studies);
        foreach (var file in studies)
        {
            var text = File.ReadAllText(file);
            Assert.StartsWith("# yaml-language-server: $schema=../study.schema.json\n", text);
            Assert.True(Conforms(schema, text), $"{file} does not validate against the study schema");
        }
        Assert.False(Conforms(schema, File.ReadAllText(studies[0]).Replace("sampler:", "samplr:")), "a misspelt study key passed the study schema");
    }

    [Fact]
    public void Every_example_spec_validates_against_the_schema_and_points_at_it()
    {
        var specs = Support.Specs.ExampleSpecs().ToList();

        Assert.NotEmpty(specs);
        foreach (var file in specs)
        {
            var text = File.ReadAllText(file);
            Assert.StartsWith("# yaml-language-server: $schema=../experiment.schema.json\n", text);
            Assert.True(Valid(text), $"{file} does not validate against the schema");
        }
    }

    [Theory]
    [InlineData("    units: 16", "    unitz: 16")]                 // unknown key (and a missing required one)
    [InlineData("epochs: 3", "epochs: three")]                       // wrong type
    [InlineData("  loss: binary_crossentropy\n", "")]                // missing required value
    [InlineData("    units: 16", "    units: 0")]                    // out of range
    [InlineData("validation_split: 0.2", "validation_split: 1")]     // exclusive bound
    [InlineData("activation: sigmoid", "activation: sigmod")]        // not an enum value
    [InlineData("type: simple_rnn", "type: simplernn")]              // unknown layer type
    [InlineData("seed: 7", "seed: 7\nextra: 1")]                     // unknown top-level key
    [InlineData("type: rmsprop", "type: rmsprop\n    beta_1: 0.9")] // a key of another optimizer
    public void Values_the_loader_rejects_the_schema_rejects_too(string find, string replace)
    {
        var broken = Support.Specs.BasicRnn.Replace(find, replace);

        Assert.NotEmpty(Support.Specs.ErrorsOf(broken));
        Assert.False(Valid(broken));
        Assert.True(Valid(Support.Specs.BasicRnn));
    }

    [Fact]
    public void Bidirectional_layers_accept_only_recurrent_layers_inside()
    {
        var yaml = Support.Specs.BasicRnn.Replace("  - type: simple_rnn\n    units: 16",
            "  - type: bidirectional\n    layer: {type: dense, units: 3}");

        Assert.False(Valid(yaml));
        Assert.True(Valid(yaml.Replace("{type: dense, units: 3}", "{type: gru, units: 3}")));
    }
}
