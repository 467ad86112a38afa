using PuppeteerSharp;
using RnnRunner.Core.Grids;
using RnnRunner.Core.Results;
using RnnRunner.Core.Running;
using RnnRunner.Plotting;
using RnnRunner.Tests.Support;
using Serilog;

namespace RnnRunner.Tests.Reports;

/// <summary>report.html and results/index.html, opened in a real headless Chromium as a user would open them from disk.</summary>
[Trait(TestLevel.Key, TestLevel.Browser)]
[Collection(TorchCollection.Name)]
public class HtmlPagesInBrowserTests
{
    /// <summary>A finished 2 × 2 grid (two learning rates, two seeds; one epoch each) under temp/results.</summary>
    private static GridOutcome RunGrid(TempDirectory temp)
    {
        File.WriteAllText(temp.File("base.yaml"), Support.Specs.BasicRnn.Replace("epochs: 3", "epochs: 1"));
        File.WriteAllText(temp.File("grid.yaml"), """
            name: lr
            description: Two learning rates, two seeds each.
            base: base.yaml
            axes:
              training.optimizer.learning_rate: [0.005, 0.02]
            seeds: [1, 2]
            """);
        return new GridRunner(new InProcessTrials(TestRuns.New, new RunOptions(temp.File("results"))),
                new LoggerConfiguration().CreateLogger(), new ComparisonCharts())
            .Run(GridExpander.LoadFile(temp.File("grid.yaml")), new GridOptions(temp.File("results")));
    }

    private static Task<string[]> Column(IPage page, string table, int column) => page.EvaluateExpressionAsync<string[]>(
        $"[...document.querySelectorAll('#{table} tbody tr')].filter(r => !r.hidden).map(r => r.cells[{column}].textContent.trim())");

    /// <summary>Every link on the page, as the browser resolved it, names a file or folder that exists.</summary>
    private static async Task AssertLinksResolve(IPage page)
    {
        var links = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('a[href]')].map(a => a.href)");
        Assert.NotEmpty(links);
        foreach (var link in links)
        {
            var path = new Uri(link).LocalPath;
            Assert.True(File.Exists(path) || Directory.Exists(path), $"{link} does not resolve");
        }
    }

    [BrowserFact]
    public async Task A_grid_report_renders_sorts_on_a_click_links_every_trial_and_logs_no_errors()
    {
        using var temp = new TempDirectory();
        var grid = RunGrid(temp);
        await using var browser = await HeadlessBrowser.LaunchAsync();
        var errors = new List<string>();

        var page = await browser.OpenAsync(new GridFolder(grid.Folder).Report, errors);

        Assert.Equal("Grid lr", await page.EvaluateExpressionAsync<string>("document.querySelector('h1').textContent"));
        Assert.StartsWith("Two learning rates, two seeds each.", await page.EvaluateExpressionAsync<string>("document.querySelector('.description').textContent"));
        Assert.Equal(2, (await Column(page, "groups", 0)).Length);
        var trials = await Column(page, "runs", 0);
        Assert.Equal(4, trials.Length);

        await page.ClickAsync("#runs th[data-name=trial]");
        Assert.Equal(trials.Order(StringComparer.Ordinal), await Column(page, "runs", 0));
        await page.ClickAsync("#runs th[data-name=trial]");
        Assert.Equal(trials.OrderDescending(StringComparer.Ordinal), await Column(page, "runs", 0));

        var learningRates = await Column(page, "runs", 5);
        await page.ClickAsync("#runs th[data-name=learning_rate]");
        Assert.Equal(["0.005", "0.005", "0.02", "0.02"], await Column(page, "runs", 5)); // as numbers: 0.005 < 0.02
        Assert.Equal(learningRates.Order(), await Column(page, "runs", 5));

        var figures = await page.EvaluateExpressionAsync<int>("document.querySelectorAll('figure svg').length");
        var captions = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('figure figcaption')].map(c => c.textContent)");
        Assert.Equal(4, figures);
        Assert.All(captions, c => Assert.True(c.Length > 40, c));
        await AssertLinksResolve(page);
        Assert.Empty(errors);
    }

    [BrowserFact]
    public async Task A_study_report_shows_its_findings_and_charts_with_real_axis_values_and_logs_no_errors()
    {
        using var study = new Search.ScriptedStudy("""
              sampler: random
              trials: 12
              seed: 3
              objective: val_loss
              parameters:
                training.optimizer.learning_rate: {type: log_uniform, low: 0.0001, high: 1}
                model[1].type: {type: choice, values: [simple_rnn, gru]}
              pruner: {type: asha, min_epochs: 1, reduction_factor: 3}

            """);
        var outcome = new Core.Search.StudyRunner(new Search.ScriptedTrials(), new LoggerConfiguration().CreateLogger(), new ComparisonCharts(), new StudyCharts())
            .Run(study.Load(), new Core.Search.StudyOptions(study.Results) { Poll = TimeSpan.FromMilliseconds(20) });
        await using var browser = await HeadlessBrowser.LaunchAsync();
        var errors = new List<string>();

        var page = await browser.OpenAsync(new GridFolder(outcome.Folder).Report, errors);

        Assert.Equal("Study scripted", await page.EvaluateExpressionAsync<string>("document.querySelector('h1').textContent"));
        var headings = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('h2, h3')].map(h => h.textContent)");
        Assert.Contains("Which setting mattered", headings);
        Assert.Contains("val_loss by trial", headings);
        Assert.Contains("Parallel coordinates", headings);
        Assert.Contains("ASHA rungs", headings);
        // Axes carry the parameters' own values: the learning rate's ends and geometric middle, the choice's names.
        var parallel = await page.EvaluateExpressionAsync<string[]>(
            "[...[...document.querySelectorAll('figure')].find(f => f.querySelector('h3').textContent === 'Parallel coordinates').querySelectorAll('svg text')].map(t => t.textContent.trim())");
        Assert.Superset(new HashSet<string> { "0.0001", "0.01", "1", "simple_rnn", "gru" }, parallel.ToHashSet());
        var slice = await page.EvaluateExpressionAsync<string[]>(
            "[...[...document.querySelectorAll('figure')].find(f => f.querySelector('h3').textContent.startsWith('val_loss against training.optimizer')).querySelectorAll('svg text')].map(t => t.textContent.trim())");
        Assert.Contains("training.optimizer.learning_rate (log scale)", slice);
        Assert.Contains("stopped after 1 epoch", slice); // a pruned trial's budget is its own mark in the legend
        Assert.All(await page.EvaluateExpressionAsync<double[]>("[...document.querySelectorAll('figure svg')].map(s => s.getBoundingClientRect().height)"),
            height => Assert.True(height > 100, $"a chart rendered {height} px high"));
        Assert.Empty(errors);
    }

    [BrowserFact]
    public async Task An_explanation_page_shows_the_words_the_prediction_line_and_every_heatmap_drawn_without_errors()
    {
        using var temp = new TempDirectory();
        var spec = temp.File("base.yaml");
        File.WriteAllText(spec, Support.Specs.BasicRnn.Replace("epochs: 3", "epochs: 1").Replace("name: tiny", "name: tiny\nengine: scratch")
            .Replace("type: simple_rnn", "type: lstm"));
        var (runExit, runOut, runErr) = CliHarness.Run("run", spec, "--results", temp.File("results"), "--json", "-q");
        Assert.True(runExit == 0, runErr);
        var run = System.Text.Json.JsonDocument.Parse(runOut).RootElement.GetProperty("results").GetString()!;
        var (exit, stdout, stderr) = CliHarness.Run("explain", run, "--example", "1", "--json");
        Assert.True(exit == 0, stderr);
        await using var browser = await HeadlessBrowser.LaunchAsync();
        var errors = new List<string>();

        var page = await browser.OpenAsync(System.Text.Json.JsonDocument.Parse(stdout).RootElement.GetProperty("page").GetString()!, errors);

        // The words twice: coloured by integrated gradients, then by occlusion; and how complete the gradients are.
        foreach (var method in new[] { "integrated", "occlusion" })
            Assert.Equal(10, await page.EvaluateExpressionAsync<int>($"document.querySelectorAll('p.words[data-method={method}] span.word').length"));
        Assert.Matches(@"complete to \d+\.\d\d % \(\d+ points on the path\)", await page.EvaluateExpressionAsync<string>("document.body.innerText"));
        var headings = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('h2, h3')].map(h => h.textContent)");
        Assert.Contains("Each word's part", headings);
        Assert.Contains("The prediction after each word", headings);
        Assert.Contains(headings, h => h.StartsWith("c — the cell state", StringComparison.Ordinal));
        var line = (await page.EvaluateExpressionAsync<string>("document.querySelector('svg.after polyline').getAttribute('points')"))
            .Trim().Split(' ').Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(10, line.Count);
        // Each crossing of 0.5 is ringed: as many rings as times the line passes the dashed line's height.
        var half = double.Parse(await page.EvaluateExpressionAsync<string>("document.querySelector('svg.after line.half').getAttribute('y1')"), System.Globalization.CultureInfo.InvariantCulture);
        var crossings = line.Zip(line.Skip(1)).Count(pair => pair.First <= half != pair.Second <= half);
        Assert.Equal(crossings, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('svg.after circle.cross').length"));
        // Every heatmap is drawn: h, c and the four gates of the LSTM, each with coloured cells (saturated pixels: not the grey labels).
        var coloured = await page.EvaluateExpressionAsync<int[]>(
            "[...document.querySelectorAll('canvas[data-layer]')].map(c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; "
            + "let n = 0; for (let i = 0; i < d.length; i += 4) if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 30) n++; return n; })");
        Assert.Equal(6, coloured.Length);
        Assert.All(coloured, n => Assert.True(n > 100, $"a heatmap has only {n} coloured pixels"));
        Assert.Empty(errors);
    }

    [BrowserFact]
    public async Task The_results_index_lists_every_run_filters_from_its_search_box_and_links_every_report()
    {
        using var temp = new TempDirectory();
        RunGrid(temp);
        var spec = temp.File("scratch.yaml");
        File.WriteAllText(spec, Support.Specs.BasicRnn.Replace("epochs: 3", "epochs: 1").Replace("name: tiny", "name: solo\nengine: scratch"));
        Assert.Equal(0, CliHarness.Run("run", spec, "--results", temp.File("results"), "-q").Exit);
        await using var browser = await HeadlessBrowser.LaunchAsync();
        var errors = new List<string>();

        var page = await browser.OpenAsync(temp.File("results/index.html"), errors);

        Assert.Equal(5, (await Column(page, "runs-table", 0)).Length);
        await page.TypeAsync("input.search", "scratch solo");
        Assert.Equal(["solo/001"], (await Column(page, "runs-table", 0)).Select(r => r[..8]));
        Assert.Equal("1 of 5 shown", await page.EvaluateExpressionAsync<string>("document.querySelector('span.shown').textContent"));
        Assert.Contains(await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#reports ~ ul a')].map(a => a.textContent)"),
            r => r.StartsWith("lr/001-", StringComparison.Ordinal));
        await AssertLinksResolve(page);
        Assert.Empty(errors);
    }
}
