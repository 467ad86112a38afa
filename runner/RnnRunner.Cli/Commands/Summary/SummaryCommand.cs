namespace RnnRunner.Cli.Commands.Summary;

/// <summary><c>rnnrunner summary</c>: the Keras-style model table, or its JSON form.</summary>
public static class SummaryCommand
{
    public static int Execute(string spec, IReadOnlyList<string> overrides, bool json, TextWriter output, TextWriter errors)
    {
        var loaded = SpecInput.TryLoad(spec, overrides, errors);
        if (loaded is null) return ExitCodes.InvalidInput;
        if (json) JsonOutput.Write(output, JsonOutput.ModelJson.From(loaded.Spec.Name, loaded.Plan));
        else output.WriteLine(loaded.Plan.Summary(loaded.Spec.Name));
        return ExitCodes.Success;
    }
}
