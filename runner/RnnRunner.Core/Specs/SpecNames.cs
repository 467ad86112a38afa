using RnnRunner.Core.Specs.Schema;

namespace RnnRunner.Core.Specs;

/// <summary>The YAML spelling of spec values, for messages and output files.</summary>
public static class SpecNames
{
    public static string Of<T>(T value) where T : struct, Enum => SpecSchema.EnumName(value);

    /// <summary>The name a union record goes by (<c>tpe</c> for a <see cref="TpeSamplerSpec"/>).</summary>
    public static string OfVariant(object record) => SpecSchema.UnionOf(record.GetType()).NameOf(record.GetType());
}
