namespace RnnRunner.Cli.Commands.Validate;

public static class ValidateCommand
{
    public static int Execute(IReadOnlyList<string> specs, IReadOnlyList<string> overrides, TextWriter output, TextWriter errors)
    {
        var invalid = 0;
        foreach (var path in specs)
        {
            var loaded = SpecInput.TryLoad(path, overrides, errors);
            if (loaded is null) { invalid++; continue; }
            output.WriteLine($"{path}: ok ({loaded.Plan.Layers.Count} layers, {loaded.Plan.TorchParameters:N0} parameters)");
        }
        return invalid == 0 ? ExitCodes.Success : ExitCodes.InvalidInput;
    }
}
