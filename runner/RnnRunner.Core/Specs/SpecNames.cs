using RnnRunner.Core.Specs.Schema;

namespace RnnRunner.Core.Specs;

/// <summary>The YAML spelling of spec enum values, for messages and output files.</summary>
public static class SpecNames
{
    public static string Of<T>(T value) where T : struct, Enum => SpecSchema.EnumName(value);
}
