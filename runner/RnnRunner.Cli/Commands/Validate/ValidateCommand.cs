namespace RnnRunner.Cli.Commands.Validate;

public static class ValidateCommand
{
    private sealed record Result(string File, bool Valid, int? Layers, long? Parameters, IReadOnlyList<JsonOutput.ErrorJson> Errors);

    public static int Execute(IReadOnlyList<string> specs, IReadOnlyList<string> overrides, bool json, TextWriter output, TextWriter errors)
    {
        var results = new List<Result>();
        foreach (var path in specs)
        {
            var loaded = SpecInput.TryLoad(path, overrides, errors, out var problems);
            results.Add(new Result(path, loaded is not null, loaded?.Plan.Layers.Count, loaded?.Plan.TorchParameters,
                problems.Select(JsonOutput.ErrorJson.From).ToList()));
            if (loaded is not null && !json)
                output.WriteLine($"{path}: ok ({loaded.Plan.Layers.Count} layers, {loaded.Plan.TorchParameters:N0} parameters)");
        }
        if (json) JsonOutput.Write(output, results);
        return results.All(r => r.Valid) ? ExitCodes.Success : ExitCodes.InvalidInput;
    }
}
