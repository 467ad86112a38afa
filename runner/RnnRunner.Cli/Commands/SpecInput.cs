using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Yaml;

namespace RnnRunner.Cli.Commands;

/// <summary>Loads specs for a command and prints their problems in the one-line-per-error format.</summary>
public static class SpecInput
{
    /// <summary>Loads and fully validates a spec; null (after printing each error) when it is invalid.</summary>
    public static LoadedSpec? TryLoad(string path, IReadOnlyList<string> overrides, TextWriter errors) =>
        TryLoad(path, null, overrides, errors, out _);

    /// <summary>As above, also handing back the errors (for --json output).</summary>
    public static LoadedSpec? TryLoad(string path, IReadOnlyList<string> overrides, TextWriter errors, out IReadOnlyList<SpecError> problems) =>
        TryLoad(path, null, overrides, errors, out problems);

    /// <summary>As above, from a file already read (<paramref name="document"/>), or read here when null.</summary>
    public static LoadedSpec? TryLoad(string path, SpecDocument? document, IReadOnlyList<string> overrides, TextWriter errors,
        out IReadOnlyList<SpecError> problems)
    {
        problems = [];
        try
        {
            var loaded = path == BuiltInExperiments.DefaultName
                ? SpecLoader.LoadText(BuiltInExperiments.DefaultSpec(), path, overrides)
                : SpecLoader.LoadDocument(document ?? YamlTreeReader.ReadDocument(path), overrides);
            CheckRunnable(loaded);
            Warn([loaded], errors);
            return loaded;
        }
        catch (SpecException e)
        {
            Print(e.Errors, errors);
            problems = e.Errors;
            return null;
        }
    }

    /// <summary>The engines specs are checked against (created when a spec first names one, as for runs).</summary>
    private static readonly Lazy<Core.Engines.EngineCatalog> Engines = new(new Composition(null, Core.Settings.Switchboard.Current).Engines);

    /// <summary>
    /// What a valid spec still needs from this machine: memory for its model and batches, and an engine that
    /// supports its device and every layer type (the engine says, through <c>IEngine.Problems</c>).
    /// </summary>
    public static void CheckRunnable(LoadedSpec loaded)
    {
        SpecLoader.CheckMemory(loaded);
        var problems = Engines.Value.Problems(loaded.Spec.Engine, loaded.Plan, loaded.Spec.Device)
            .Select(p => new SpecError(loaded.Marks.MarkOf(p.Path), p.Path, p.Message)).ToList();
        if (problems.Count > 0) throw new SpecException(problems);
    }

    /// <summary>Each warning the specs' files gave (an old spelling still read), once, however many trials share it.</summary>
    public static void Warn(IEnumerable<LoadedSpec> specs, TextWriter errors)
    {
        foreach (var warning in specs.SelectMany(s => s.Marks.Warnings).Select(w => w.ToString()).Distinct())
            errors.WriteLine($"warning: {warning}");
    }

    public static void Print(IEnumerable<SpecError> problems, TextWriter errors)
    {
        foreach (var error in problems) errors.WriteLine($"error: {error}");
    }
}
