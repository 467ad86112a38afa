using System.Text.RegularExpressions;
using RnnRunner.Core.Data.Text;

namespace RnnRunner.Core.Data.Imdb;

/// <summary>One labelled review: its split, label (1 positive, 0 negative), id and rating from the file name.</summary>
public sealed record Review(string Split, int Label, int Id, int Rating, string Text);

/// <summary>
/// Reads the official aclImdb layout, <c>aclImdb/{train,test}/{pos,neg}/&lt;id&gt;_&lt;rating&gt;.txt</c>, either
/// straight from a .tar.gz (streamed: nothing is extracted to disk) or from an extracted folder. Unlabelled
/// reviews (train/unsup) and the bag-of-words files of the official archive are skipped.
/// </summary>
public static partial class ImdbArchive
{
    public static readonly string[] Splits = ["train", "test"];
    public const string ReadingActivity = "reading reviews";
    private const int ReportEvery = 1000;
    private static readonly string[] Labels = ["neg", "pos"];

    [GeneratedRegex(@"(?:^|/)aclImdb/(train|test)/(pos|neg)/(\d+)_(\d+)\.txt$")]
    private static partial Regex ReviewPath();

    /// <summary>Every labelled review, train before test, in file order. Checks that every split is there.</summary>
    public static IReadOnlyList<Review> Read(string path, CancellationToken cancellation = default, IProgress<DataProgress>? progress = null)
    {
        var reviews = Directory.Exists(path) ? ReadFolder(path, cancellation, progress) : ReadTarGz(path, cancellation, progress);
        progress?.Report(new DataProgress(ReadingActivity, reviews.Count, reviews.Count, "reviews"));
        foreach (var split in Splits)
            foreach (var (label, name) in Labels.Select((n, i) => (i, n)))
            {
                if (!reviews.Any(r => r.Split == split && r.Label == label))
                    throw new DatasetException($"{path}: aclImdb/{split}/{name}/ holds no reviews (is this the IMDB archive, complete?)");
            }
        // Train first, then test; inside a split by label then id, so the order never depends on the archive's.
        return reviews.OrderBy(r => r.Split == "train" ? 0 : 1).ThenBy(r => r.Label).ThenBy(r => r.Id).ToList();
    }

    /// <summary>The archive's reviews, read by <see cref="TextFiles"/> (which every text archive goes through), picked by their path.</summary>
    private static List<Review> ReadTarGz(string path, CancellationToken cancellation, IProgress<DataProgress>? progress)
    {
        var reviews = new List<Review>(50_000);
        foreach (var file in TextFiles.ReadAll(path, cancellation))
        {
            var match = ReviewPath().Match(file.Path);
            if (!match.Success) continue;
            reviews.Add(ToReview(match, file.Text));
            if (reviews.Count % ReportEvery == 0) progress?.Report(new DataProgress(ReadingActivity, reviews.Count, null, "reviews"));
        }
        return reviews;
    }

    private static List<Review> ReadFolder(string path, CancellationToken cancellation, IProgress<DataProgress>? progress)
    {
        var root = Path.GetFileName(Path.TrimEndingDirectorySeparator(path)) == "aclImdb" ? Path.GetDirectoryName(Path.GetFullPath(path))! : path;
        if (!Directory.Exists(Path.Combine(root, "aclImdb")))
            throw new DatasetException($"{path}: no aclImdb/ folder here (expected aclImdb/train and aclImdb/test)");
        var reviews = new List<Review>(50_000);
        foreach (var split in Splits)
        {
            if (!Directory.Exists(Path.Combine(root, "aclImdb", split)))
                throw new DatasetException($"{path}: the {split} split (aclImdb/{split}/) is missing");
            foreach (var label in Labels)
            {
                var folder = Path.Combine(root, "aclImdb", split, label);
                if (!Directory.Exists(folder)) continue; // reported as "holds no reviews" by Read
                foreach (var file in Directory.EnumerateFiles(folder, "*.txt"))
                {
                    cancellation.ThrowIfCancellationRequested();
                    var match = ReviewPath().Match(Path.GetRelativePath(root, file).Replace('\\', '/'));
                    if (!match.Success) continue;
                    try
                    {
                        reviews.Add(ToReview(match, File.ReadAllText(file)));
                        if (reviews.Count % ReportEvery == 0) progress?.Report(new DataProgress(ReadingActivity, reviews.Count, null, "reviews"));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        throw new DatasetException($"{file}: cannot be read ({e.Message})", e);
                    }
                }
            }
        }
        return reviews;
    }

    private static Review ToReview(Match match, string text) => new(
        match.Groups[1].Value,
        match.Groups[2].Value == "pos" ? 1 : 0,
        int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(match.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture),
        text);
}
