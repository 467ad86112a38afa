using System.Text.Json;
using RnnRunner.Core.Data;
using RnnRunner.Core.Engines;
using RnnRunner.Core.Results;

namespace RnnRunner.Core.EngineSelection;

/// <summary>
/// Calibrations by key, one sealed file each under <c>&lt;cache&gt;/engine-calibration/</c> (the data caches'
/// root): a damaged entry is discarded with a warning and measured again, an unwritable cache only costs the next
/// run its calibration. Delete the folder to calibrate afresh.
/// </summary>
public sealed class CalibrationCache(string cacheRoot)
{
    private const string What = "engine calibration cache";

    public string PathOf(string key) => Path.Combine(cacheRoot, "engine-calibration", $"{key}.json");

    public EngineChoice? Read(string key) =>
        CacheFile.TryRead(PathOf(key), What, reader =>
            JsonSerializer.Deserialize<EngineChoice>(reader.ReadString(), RunSummary.JsonOptions) is { Key: var k } choice && k == key
                ? choice
                : throw new InvalidDataException("the entry is for another key"));

    public void Write(EngineChoice choice) =>
        CacheFile.TryWrite(PathOf(choice.Key), What, writer => writer.Write(JsonSerializer.Serialize(choice, RunSummary.JsonOptions)));
}
