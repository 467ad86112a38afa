namespace RnnRunner.Core.Specs.Schema;

/// <summary>The YAML key of a property when snake_case of its C# name is not right (e.g. <c>beta_1</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SpecKeyAttribute(string key) : Attribute
{
    public string Key { get; } = key;
}

/// <summary>What a property means, shown in errors' context, the JSON Schema and editor tooltips.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class | AttributeTargets.Field)]
public sealed class DocAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}

/// <summary>An inclusive numeric range unless an end is marked exclusive.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SpecRangeAttribute(double min, double max) : Attribute
{
    public double Min { get; } = min;
    public double Max { get; } = max;
    public bool MinExclusive { get; init; }
    public bool MaxExclusive { get; init; }

    /// <summary>An <see cref="IOutOfRangeHint"/> type that adds why a too-large value cannot work (e.g. the memory it needs).</summary>
    public Type? Hint { get; init; }

    public string? Explain(double value) =>
        Hint is not null && Activator.CreateInstance(Hint) is IOutOfRangeHint hint ? hint.Explain(value) : null;

    public bool Contains(double value) =>
        (MinExclusive ? value > Min : value >= Min) && (MaxExclusive ? value < Max : value <= Max);

    public string Describe()
    {
        var low = MinExclusive ? $"greater than {Format(Min)}" : $"at least {Format(Min)}";
        if (Max >= long.MaxValue / 2) return low;
        var high = MaxExclusive ? $"less than {Format(Max)}" : $"at most {Format(Max)}";
        return $"{low} and {high}";
    }

    private static string Format(double v) => v.ToString("G", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Explains an out-of-range value in terms a user can act on.</summary>
public interface IOutOfRangeHint
{
    string? Explain(double value);
}

/// <summary>
/// Marks an abstract spec record whose concrete type is chosen by a discriminator key (e.g. <c>type: lstm</c>).
/// Each variant names itself with <see cref="SpecNameAttribute"/> — one style for layers, datasets and optimizers —
/// so a new variant is added in its own file, changing none.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SpecUnionAttribute(string discriminator) : Attribute
{
    public string Discriminator { get; } = discriminator;
}

/// <summary>
/// Names a concrete spec record as a variant of the union it derives from (e.g. <c>[SpecName("lstm", Keras = "LSTM")]</c>).
/// <see cref="Keras"/> is Keras' class name for the same thing, accepted as a spelling of it: a Keras user's
/// <c>type: SimpleRNN</c> means exactly <c>type: simple_rnn</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SpecNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    public string? Keras { get; init; }
}

/// <summary>
/// Another spelling of an enum value. Without <see cref="Warning"/> it means the same (Keras' <c>mean_squared_error</c>
/// for <c>mse</c>) and the schema offers it; with one it is an old spelling still read, and the warning says what it
/// means now (a spec from an earlier release keeps running, and its author learns the new name).
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = true)]
public sealed class SpecAliasAttribute(string spelling) : Attribute
{
    public string Spelling { get; } = spelling;

    public string? Warning { get; init; }
}

/// <summary>
/// A size that may be written <c>auto</c>: left null by the binder, and set from the data when the spec is validated
/// (an embedding's input_dim from the vocabulary the data knows). The property is a nullable integer.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SpecAutoAttribute(string meaning) : Attribute
{
    public const string Word = "auto";

    /// <summary>What <c>auto</c> stands for, for the schema and messages.</summary>
    public string Meaning { get; } = meaning;
}
