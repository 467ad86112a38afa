using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using RnnRunner.Core.Data;
using RnnRunner.Core.Data.Imdb;
using RnnRunner.Core.Data.Text;

namespace RnnRunner.Tests.Support;

/// <summary>Writes small datasets in the official aclImdb layout, as a .tar.gz or an extracted folder.</summary>
public static class TinyImdb
{
    /// <summary>A few reviews per split and class; words chosen so frequencies and ties are known.</summary>
    public static readonly Review[] Reviews =
    [
        new("train", 1, 0, 9, "Great great movie!<br /><br />Loved it."),
        new("train", 1, 1, 8, "A great film, loved the acting."),
        new("train", 0, 0, 2, "Awful movie. Hated it!"),
        new("train", 0, 1, 1, "Awful, awful acting; hated the film."),
        new("test", 1, 0, 10, "Great acting and a wonderful story."),
        new("test", 0, 0, 3, "Boring and awful."),
    ];

    public static string WriteTarGz(string folder, IEnumerable<Review>? reviews = null, string name = "aclImdb_v1.tar.gz")
    {
        var path = Path.Combine(folder, name);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "aclImdb/"));
        AddText(tar, "aclImdb/README", "Large Movie Review Dataset v1.0");
        foreach (var r in reviews ?? Reviews)
            AddText(tar, $"aclImdb/{r.Split}/{(r.Label == 1 ? "pos" : "neg")}/{r.Id}_{r.Rating}.txt", r.Text);
        AddText(tar, "aclImdb/train/unsup/0_0.txt", "unlabelled reviews are ignored");
        return path;
    }

    public static string WriteFolder(string folder, IEnumerable<Review>? reviews = null)
    {
        foreach (var r in reviews ?? Reviews)
        {
            var dir = Path.Combine(folder, "aclImdb", r.Split, r.Label == 1 ? "pos" : "neg");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, $"{r.Id}_{r.Rating}.txt"), r.Text);
        }
        return Path.Combine(folder, "aclImdb");
    }

    private static void AddText(TarWriter tar, string name, string text)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) };
        tar.WriteEntry(entry);
    }

    /// <summary>The shared real archive when this checkout has it (make links it into data/), else null.</summary>
    public static string? RealArchive()
    {
        var data = Path.Combine(Specs.RepositoryRoot, "data");
        return new[] { ImdbLocator.OfficialFile, ImdbLocator.LabelledFile }
            .Select(f => Path.Combine(data, f)).FirstOrDefault(File.Exists);
    }
}

/// <summary>A test that needs the real IMDB archive in data/; skipped, saying why, where it is absent.</summary>
public sealed class RealImdbFactAttribute : FactAttribute
{
    public RealImdbFactAttribute()
    {
        if (TinyImdb.RealArchive() is null)
            Skip = "the IMDB archive is not in data/ (make test links ../shared/data there; or download aclImdb_v1.tar.gz)";
    }
}
