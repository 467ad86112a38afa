namespace RnnRunner.Core.Data;

/// <summary>A dataset's preprocessing report, written to the run folder as preprocessing.json.</summary>
public interface IDataReport
{
    string ToJson();

    /// <summary>The same report, saying which cache entry the examples came from or went into.</summary>
    IDataReport WithCache(CacheUse cache);
}
