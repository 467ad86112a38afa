using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Schema;
using RnnRunner.Core.Storage;

namespace RnnRunner.Cli.Commands.Schema;

/// <summary><c>rnnrunner schema</c>: the JSON Schema of specs or grid files, to a file or stdout.</summary>
public static class SchemaCommand
{
    public static int Execute(SpecFileKind kind, string? path, TextWriter output)
    {
        var schema = JsonSchemaGenerator.Generate(kind);
        if (path is not null) AtomicFile.WriteAllText(path, schema);
        else output.Write(schema);
        return ExitCodes.Success;
    }
}
