using System.CommandLine;
using RnnRunner.Core.Specs;

namespace RnnRunner.Cli.Commands.Schema;

public static class SchemaCommandDefinition
{
    public static Command Create()
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write the schema to this file instead of stdout." };
        var grid = new Option<bool>("--grid") { Description = "The schema of grid files instead of experiment specs." };
        var study = new Option<bool>("--study") { Description = "The schema of study files (rnnrunner search) instead of experiment specs." };
        var command = new Command("schema", "Print the JSON Schema of experiment specs (or of grid files), generated from their types, for editor completion.\n\n"
            + "Examples:\n  rnnrunner schema -o experiments/experiment.schema.json\n"
            + "  rnnrunner schema --grid -o experiments/grid.schema.json\n"
            + "  rnnrunner schema --study -o experiments/study.schema.json\n"
            + "  then start a spec with: # yaml-language-server: $schema=experiment.schema.json")
        {
            output, grid, study,
        };
        command.SetAction(parse => SchemaCommand.Execute(
            parse.GetValue(grid) ? SpecFileKind.Grid : parse.GetValue(study) ? SpecFileKind.Study : SpecFileKind.Experiment,
            parse.GetValue(output), parse.InvocationConfiguration.Output));
        return command;
    }
}
