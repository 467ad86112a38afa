using RnnRunner.Core.Loading;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Specs.Yaml;
using RnnRunner.Engines.Torch;

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
            return loaded;
        }
        catch (SpecException e)
        {
            Print(e.Errors, errors);
            problems = e.Errors;
            return null;
        }
    }

    /// <summary>What a valid spec still needs from this machine: memory for its model and batches, and its device.</summary>
    public static void CheckRunnable(LoadedSpec loaded)
    {
        SpecLoader.CheckMemory(loaded);
        if (loaded.Spec.Engine == EngineKind.Torch && TorchEngine.DeviceProblem(loaded.Spec.Device) is { } problem)
            throw new SpecException([new SpecError(new SourceMark(loaded.SourcePath, 0, 0), "device", problem)]);
    }

    public static void Print(IEnumerable<SpecError> problems, TextWriter errors)
    {
        foreach (var error in problems) errors.WriteLine($"error: {error}");
    }
}
