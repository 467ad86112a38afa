using System.Text.Json;
using RnnRunner.Core.Results;
using RnnRunner.Core.Storage;

namespace RnnRunner.Core.Grids;

/// <summary>One trial as a grid's manifest lists it: its group (the trial without its seed), identity and settings.</summary>
public sealed record ManifestTrial(string Name, string Group, string Identity, IReadOnlyList<string> Settings);

/// <summary>
/// grid.json, the manifest that makes a folder a grid's: the grid's name and identity, the grid file it came from,
/// and every trial. Reuse, resume and <c>compare</c> read it back.
/// </summary>
public sealed record GridManifest(string Name, string Identity, string Source, IReadOnlyList<ManifestTrial> Trials)
{
    public static GridManifest Of(ExpandedGrid grid) => new(grid.Spec.Name, grid.Identity, Path.GetFullPath(grid.SourcePath),
        grid.Trials.Select(t => new ManifestTrial(t.Name, t.Group, t.Identity, t.Settings.Select(s => $"{s.Path}: {s.Label}").ToList())).ToList());

    public void Write(string gridFolder) =>
        AtomicFile.WriteAllText(new GridFolder(gridFolder).Manifest, JsonSerializer.Serialize(this, RunSummary.JsonOptions));

    /// <summary>The manifest of <paramref name="gridFolder"/>; null when it has none or it cannot be read.</summary>
    public static GridManifest? TryRead(string gridFolder)
    {
        try
        {
            return JsonSerializer.Deserialize<GridManifest>(File.ReadAllText(new GridFolder(gridFolder).Manifest), RunSummary.JsonOptions);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }
}
