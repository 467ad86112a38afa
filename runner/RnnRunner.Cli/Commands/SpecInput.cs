using RnnRunner.Core.Specs;
using RnnRunner.Engines.Torch;

namespace RnnRunner.Cli.Commands;

/// <summary>Loads specs for a command and prints their problems in the one-line-per-error format.</summary>
public static class SpecInput
{
    /// <summary>Loads and fully validates a spec; null (after printing each error) when it is invalid.</summary>
    public static LoadedSpec? TryLoad(string path, IReadOnlyList<string> overrides, TextWriter errors) =>
        TryLoad(path, overrides, errors, out _);

    /// <summary>As above, also handing back the errors (for --json output).</summary>
    public static LoadedSpec? TryLoad(string path, IReadOnlyList<string> overrides, TextWriter errors, out IReadOnlyList<SpecError> problems)
    {
        problems = [];
        try
        {
            var loaded = path == BuiltInExperiments.DefaultName
                ? SpecLoader.LoadText(BuiltInExperiments.DefaultSpec(), path, overrides)
                : SpecLoader.LoadFile(path, overrides);
            SpecLoader.CheckMemory(loaded);
            if (loaded.Spec.Engine == Core.Specs.EngineKind.Torch && TorchEngine.DeviceProblem(loaded.Spec.Device) is { } problem)
                throw new SpecException([new SpecError(new Core.Specs.Yaml.SourceMark(path, 0, 0), "device", problem)]);
            return loaded;
        }
        catch (SpecException e)
        {
            foreach (var error in e.Errors) errors.WriteLine($"error: {error}");
            problems = e.Errors;
            return null;
        }
    }
}
