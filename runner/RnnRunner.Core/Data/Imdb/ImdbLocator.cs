using System.Security.Cryptography;
using System.Text;
using RnnRunner.Core.Specs;
using RnnRunner.Core.Storage;

namespace RnnRunner.Core.Data.Imdb;

/// <summary>
/// Finds the IMDB data: the spec's path, else a known archive or folder in the data root, else the download
/// cache, else a download of the official archive (HTTPS, SHA-256 checked). Also fingerprints the source for
/// the token cache, memoising an archive's SHA-256 by path, size and modification time.
/// </summary>
public static class ImdbLocator
{
    public const string OfficialUrl = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz";
    public const string OfficialSha256 = "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe";
    public const string OfficialFile = "aclImdb_v1.tar.gz";
    /// <summary>The labelled-only repackaging (no train/unsup, no .feat files); same reviews, same layout.</summary>
    public const string LabelledFile = "aclImdb_v1.labeled.tar.gz";

    public static string Locate(ImdbDataSpec spec, DataEnvironment environment, Func<string, string, string, IProgress<DataProgress>?, string>? download = null)
    {
        if (spec.Path is { } given)
        {
            if (File.Exists(given) || Directory.Exists(given)) return Path.GetFullPath(given);
            throw new DatasetException($"{given}: no such file or folder (data.path in the spec)");
        }
        string[] candidates =
        [
            Path.Combine(environment.DataRoot, OfficialFile),
            Path.Combine(environment.DataRoot, LabelledFile),
            Path.Combine(environment.DataRoot, "aclImdb"),
            Path.Combine(environment.CacheRoot, "downloads", OfficialFile),
        ];
        foreach (var candidate in candidates)
            if (File.Exists(candidate) || Directory.Exists(candidate)) return candidate;

        var target = Path.Combine(environment.CacheRoot, "downloads", OfficialFile);
        return (download ?? ArchiveDownloader.Download)(OfficialUrl, OfficialSha256, target, environment.Progress);
    }
}
