namespace RnnRunner.Core.Results;

/// <summary>
/// A grid's (or a comparison's) results folder and the name of every file in it: the manifest, one run folder per
/// trial under <c>trials/</c>, and the comparison — tables, charts, report. (A run's own files: <c>RunFolder</c>.)
/// </summary>
public sealed record GridFolder(string Path)
{
    public const string TrialsName = "trials";

    public string Manifest => File("grid.json");
    public string Trials => File(TrialsName);
    public string ComparisonCsv => File("comparison.csv");
    public string ComparisonMarkdown => File("comparison.md");
    public string Charts => File("charts");
    public string Report => File("report.html");

    public string Trial(string name) => System.IO.Path.Combine(Trials, name);

    /// <summary>Whether <paramref name="folder"/> is a grid's (it has the manifest).</summary>
    public static bool IsGrid(string folder) => System.IO.File.Exists(new GridFolder(folder).Manifest);

    /// <summary>Whether <paramref name="runFolder"/> is one of a grid's trials.</summary>
    public static bool IsTrial(string runFolder) =>
        System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(runFolder))) == TrialsName;

    private string File(string name) => System.IO.Path.Combine(Path, name);
}
