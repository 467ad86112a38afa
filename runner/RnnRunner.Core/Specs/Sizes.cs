using System.Globalization;

namespace RnnRunner.Core.Specs;

/// <summary>Byte counts as people read them in messages about memory.</summary>
public static class Sizes
{
    public static string Bytes(double bytes) => bytes >= 1e12
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e12:N1} TB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:N1} GB");
}
