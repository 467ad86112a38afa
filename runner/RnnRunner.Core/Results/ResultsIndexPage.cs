using System.Globalization;
using RnnRunner.Core.Reports;
using RnnRunner.Core.Storage;
using static RnnRunner.Core.Reports.HtmlPage;

namespace RnnRunner.Core.Results;

/// <summary>
/// The columns of the results index, defined once for <c>rnnrunner runs</c> on a terminal and for results/index.html.
/// </summary>
public static class RunIndexColumns
{
    public static IReadOnlyList<Column<IndexedRun>> All { get; } =
    [
        new("run", "run", r => r.Folder.Replace(Path.DirectorySeparatorChar, '/')),
        new("status", "status", r => r.Status),
        new("engine", "engine", r => r.Engine),
        new("epochs", "epochs", r => r.Epochs.ToString(CultureInfo.InvariantCulture), r => r.Epochs),
        new("best", "best", r => r.Monitor is null ? "–" : $"{r.Monitor} {F(r.Best, "F4")}", r => r.Best),
        new("test", "test", r => r.TestMetric is null ? "–" : $"{r.TestMetric} {F(r.Test, "F4")}", r => r.Test),
        new("cpu_seconds_per_epoch", "CPU s/epoch", r => F(r.SecondsPerEpoch, "F2"), r => r.SecondsPerEpoch),
        new("started", "started (UTC)", r => r.Started.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            r => r.Started.Ticks),
    ];

    private static string F(double? v, string format) => v?.ToString(format, CultureInfo.InvariantCulture) ?? "–";
}

/// <summary>
/// results/index.html: every run and grid trial under a results folder in one sortable table with a search box,
/// each linked to its run folder, and every grid's and comparison's report. Rewritten after each run, grid and
/// comparison (from the cached index, so it stays quick with hundreds of runs).
/// </summary>
public static class ResultsIndexPage
{
    public const string FileName = "index.html";

    /// <summary>
    /// Whether <paramref name="folder"/> is a results folder (it has an index or its cache): a resumed run rewrites its
    /// results folder's index only then, never walking a folder it was merely copied into (/tmp, a home folder).
    /// </summary>
    public static bool IsResultsRoot(string folder) =>
        File.Exists(Path.Combine(folder, FileName)) || File.Exists(Path.Combine(folder, RunIndex.CacheName));

    public static string Write(string root, CancellationToken cancellation = default)
    {
        root = Path.GetFullPath(root);
        var problems = new List<string>();
        var runs = RunIndex.Sort(RunIndex.Scan(root, problems, cancellation: cancellation), by: null);
        var reports = ResultsTree.ReportFolders(root, cancellation).ToList();
        var page = new HtmlPage("RnnRunner results", $"Every run under {root}, newest first: {runs.Count} runs, {reports.Count} reports. "
            + "Type in the box to keep the rows holding every word (a name, a status, an engine, a metric); click a heading to sort. "
            + "Each run links to its folder (summary.json, metrics.csv, plots).");
        if (problems.Count > 0) page.Paragraph($"Left out, damaged: {string.Join("; ", problems)}", "meta");
        page.Heading("Reports", "reports");
        page.Raw(reports.Count == 0 ? "<p>No grid or comparison yet.</p>" : "<ul>" + string.Concat(reports.Select(r =>
            $"<li><a href=\"{E(Href(root, new GridFolder(r).Report))}\">{E(Path.GetRelativePath(root, r).Replace(Path.DirectorySeparatorChar, '/'))}</a></li>")) + "</ul>");
        string? Link(IndexedRun r, Column<IndexedRun> c) => c.Name == "run" ? Href(root, Path.Combine(root, r.Folder)) : null;
        var best = RunIndex.BestPerExperiment(runs);
        if (best.Count > 0)
            page.Heading("Best run of each experiment", "best")
                .Paragraph("For each experiment (a folder here: a spec's runs, a grid's or a study's trials), the run with the best value of "
                    + "the monitored metric its newest run watches, at its best epoch; ties go to the newest.", "meta")
                .Raw(HtmlTable.Render("best-table", RunIndexColumns.All, best, Link, extra: Sparkline.Column, rowClass: StatusClass));
        page.Heading("Runs", "runs").SearchBox("runs-table", "search runs")
            .Paragraph("Row colours: red failed, amber interrupted or still running, grey pruned by a search. The curve is the run's "
                + "monitored metric after each epoch, its best epoch marked red.", "meta")
            .Raw(HtmlTable.Render("runs-table", RunIndexColumns.All, runs, Link, extra: Sparkline.Column, rowClass: StatusClass));
        var path = Path.Combine(root, FileName);
        AtomicFile.WriteAllText(path, page.Render());
        return path;
    }

    private static string StatusClass(IndexedRun run) => $"status-{run.Status}";

    /// <summary>Rewrites the page; a failure (a read-only or vanished folder) never fails the run that asked.</summary>
    /// <remarks>An interrupt (Ctrl-C, SIGTERM) stops the walk: the run it follows has ended already.</remarks>
    public static void TryWrite(string root, Action<string>? warn = null, CancellationToken cancellation = default)
    {
        try
        {
            if (Directory.Exists(root)) Write(root, cancellation);
        }
        catch (OperationCanceledException)
        {
            warn?.Invoke($"{Path.Combine(root, FileName)} was not rewritten (interrupted)");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn?.Invoke($"could not rewrite {Path.Combine(root, FileName)}: {e.Message}");
        }
    }
}
