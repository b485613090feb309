using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using RetentionPlatform.Gateway.OpenApi;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>
/// The Scalar API reference at <c>/docs</c>: served by the gateway without a key, with everything it loads coming from
/// the gateway itself, and rendered by a real browser (headless Chromium, with every other host unreachable) into
/// the operations of the OpenAPI document.
/// </summary>
public sealed partial class ApiReferenceUiTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>, IDisposable
{
    private static readonly TimeSpan BrowserTimeout = TimeSpan.FromMinutes(2);

    private static readonly string[] ChromiumNames = ["chromium", "chromium-browser"];

    private readonly HttpClient _http = new() { BaseAddress = fixture.Platform.GatewayHttpUrl };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task HeadlessChromiumRendersTheOperationsOfTheDocumentWithoutReachingAnyOtherHost()
    {
        var document = await PartnerApiDocument.FetchAsync(_http);
        var expected = document.Operations
            .GroupBy(o => (string)o.Body["tags"]![0]!)
            .Select(g => (string)g.Last().Body["summary"]!)
            .ToList();
        Assert.True(expected.Count >= 5, $"Only {expected.Count} tags in the document.");

        var page = new Uri(fixture.Platform.GatewayHttpUrl, ApiDocumentation.UiPath);
        var text = await RenderAsync(page, virtualTimeMilliseconds: 20_000);
        if (expected.Any(s => !text.Contains(s, StringComparison.Ordinal)))
        {
            // A slow machine may not have finished rendering: once more, with more time.
            text = await RenderAsync(page, virtualTimeMilliseconds: 60_000);
        }

        var missing = expected.Where(s => !text.Contains(s, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0,
            $"The rendered API reference lacks these operations: {string.Join(", ", missing)}.\nIts text begins: {text[..Math.Min(text.Length, 1500)]}");
        Assert.Contains("RetentionPlatform partner API", text, StringComparison.Ordinal);
        Assert.Contains("x-required-scope", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApiReferencePageNeedsNoKeyAndLoadsItsScriptsFromTheGatewayOnly()
    {
        using var page = await _http.GetAsync(ApiDocumentation.UiPath + "/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();

        var references = ReferenceRegex().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.Contains("scalar.js", references);
        Assert.All(references, url => Assert.False(Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" || url.StartsWith("//", StringComparison.Ordinal),
            $"The page loads '{url}' from another host."));
        Assert.Contains("\"withDefaultFonts\":false", html, StringComparison.Ordinal);
        Assert.Contains("\"telemetry\":false", html, StringComparison.Ordinal);
        Assert.Contains(ApiDocumentation.DocumentPath.TrimStart('/'), html, StringComparison.Ordinal);

        using var bundle = await _http.GetAsync(ApiDocumentation.UiPath + "/scalar.js");
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.Contains("javascript", bundle.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.True((await bundle.Content.ReadAsByteArrayAsync()).Length > 100_000, "The Scalar bundle served by the gateway is suspiciously small.");
    }

    /// <summary>
    /// Loads <paramref name="page"/> in headless Chromium (a fresh profile, every host but loopback unresolvable) and
    /// returns the text of the DOM once scripts have run for the given virtual time.
    /// </summary>
    private static async Task<string> RenderAsync(Uri page, int virtualTimeMilliseconds)
    {
        var chromium = FindChromium()
            ?? throw new InvalidOperationException("Chromium is not installed (no 'chromium' on PATH): run scripts/ensure-prerequisites.sh, which installs it with apt-get.");
        var profile = Directory.CreateTempSubdirectory("retention-chromium-");
        try
        {
            var start = new ProcessStartInfo(chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])[
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-dev-shm-usage", $"--user-data-dir={profile.FullName}",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
                $"--virtual-time-budget={virtualTimeMilliseconds}", "--dump-dom", page.ToString()])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(BrowserTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"Chromium did not finish rendering {page} within {BrowserTimeout}.");
            }

            var dom = await output;
            Assert.True(process.ExitCode == 0 && dom.Length > 0, $"Chromium exited with {process.ExitCode}: {await errors}");
            return TextOf(dom);
        }
        finally
        {
            try
            {
                profile.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Chromium's helpers may still hold a file for a moment; the temp folder is cleaned up eventually.
            }
        }
    }

    private static string? FindChromium() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(folder => ChromiumNames.Select(name => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);

    private static string TextOf(string html)
    {
        var withoutCode = CodeRegex().Replace(html, " ");
        var text = WebUtility.HtmlDecode(TagRegex().Replace(withoutCode, " "));
        return WhitespaceRegex().Replace(text, " ");
    }

    [GeneratedRegex("""(?:src|href)\s*=\s*["'](?<url>[^"']+)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex ReferenceRegex();

    [GeneratedRegex(@"<(script|style)\b.*?</\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex CodeRegex();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagRegex();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();
}
