using PuppeteerSharp;

namespace RnnRunner.Tests.Support;

/// <summary>
/// A real headless Chromium (Debian's, installed by <c>make test</c>'s set-up) driven over the DevTools protocol
/// by PuppeteerSharp: pages are loaded from disk as a user would open them, with every console error and script
/// exception collected.
/// </summary>
public sealed class HeadlessBrowser : IAsyncDisposable
{
    private readonly IBrowser _browser;

    private HeadlessBrowser(IBrowser browser) => _browser = browser;

    /// <summary>The Chromium executable: $RNNRUNNER_CHROMIUM, else the first of chromium, chromium-browser, google-chrome on the PATH.</summary>
    public static string? Executable { get; } = Find();

    public static async Task<HeadlessBrowser> LaunchAsync() => new(await Puppeteer.LaunchAsync(new LaunchOptions
    {
        Headless = true,
        ExecutablePath = Executable ?? throw new InvalidOperationException("no Chromium"),
        // Root in a container has no user namespace for Chromium's sandbox.
        Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        Timeout = 60_000,
    }));

    /// <summary>Opens <paramref name="file"/>; <paramref name="errors"/> collects console errors and uncaught script exceptions.</summary>
    public async Task<IPage> OpenAsync(string file, List<string> errors)
    {
        var page = await _browser.NewPageAsync();
        page.Console += (_, e) => { if (e.Message.Type == ConsoleType.Error) errors.Add($"console: {e.Message.Text}"); };
        page.PageError += (_, e) => errors.Add($"script: {e.Message}");
        var response = await page.GoToAsync(new Uri(file).AbsoluteUri, WaitUntilNavigation.Load);
        Assert.True(response is null || response.Ok, $"{file}: {response?.Status}");
        return page;
    }

    public async ValueTask DisposeAsync() => await _browser.CloseAsync();

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("RNNRUNNER_CHROMIUM") is { Length: > 0 } given) return File.Exists(given) ? given : null;
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(name => path.Select(dir => Path.Combine(dir, name))).FirstOrDefault(File.Exists);
    }
}

/// <summary>A test that needs the headless browser; skipped, saying why, on a machine where none could be installed.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (HeadlessBrowser.Executable is null)
            Skip = "no Chromium here (make test installs Debian's chromium when it can: scripts/ensure-browser.sh; or set RNNRUNNER_CHROMIUM)";
    }
}
