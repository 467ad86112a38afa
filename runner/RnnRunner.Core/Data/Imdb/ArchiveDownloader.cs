using System.Security.Cryptography;

namespace RnnRunner.Core.Data.Imdb;

/// <summary>
/// Downloads a file over HTTP(S) to a cache path, hashing as it streams; the file appears under its final name
/// only when complete and its SHA-256 matches, so an interrupted or tampered download is never used.
/// </summary>
public static class ArchiveDownloader
{
    public static string Download(string url, string sha256, string target, IProgress<DataProgress>? progress)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var partial = target + ".part";
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
            using var response = client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            var total = response.Content.Headers.ContentLength;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using (var source = response.Content.ReadAsStream())
            using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                var buffer = new byte[1 << 20];
                long done = 0;
                int read;
                while ((read = source.Read(buffer)) > 0)
                {
                    file.Write(buffer, 0, read);
                    hash.AppendData(buffer, 0, read);
                    done += read;
                    progress?.Report(new DataProgress($"downloading {Path.GetFileName(target)}", done, total, "bytes"));
                }
            }
            var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
                throw new DatasetException($"{url}: downloaded file has SHA-256 {actual}, expected {sha256}; it was discarded");
            File.Move(partial, target, overwrite: true);
            return target;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            throw new DatasetException(
                $"could not download the IMDB dataset from {url} ({e.Message}). If this machine is offline, get "
                + $"aclImdb_v1.tar.gz elsewhere and either put it in the data folder (data/ or $RNNRUNNER_DATA) or set data.path in the spec", e);
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }
}
