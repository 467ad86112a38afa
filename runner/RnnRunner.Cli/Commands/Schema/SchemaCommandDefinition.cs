using System.CommandLine;
using RnnRunner.Core.Results;
using RnnRunner.Core.Specs.Schema;

namespace RnnRunner.Cli.Commands.Schema;

public static class SchemaCommandDefinition
{
    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write the schema to this file instead of stdout." };
        var command = new Command("schema", "Print the JSON Schema of experiment specs, generated from the spec types, for editor completion.\n\n"
            + "Examples:\n  rnnrunner schema -o experiments/experiment.schema.json\n"
            + "  then start a spec with: # yaml-language-server: $schema=experiment.schema.json")
        {
            output,
        };
        command.SetAction(parse =>
        {
            var schema = JsonSchemaGenerator.Generate();
            if (parse.GetValue(output) is { } path) AtomicFile.WriteAllText(path, schema);
            else parse.InvocationConfiguration.Output.Write(schema);
            return ExitCodes.Success;
        });
        return command;
    }
}
