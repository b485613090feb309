using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using RetentionPlatform.Notifications.Links;

namespace RetentionPlatform.Notifications.Tests.Links;

public sealed partial class LinkPagesTests : IAsyncLifetime
{
    private LinkPagesHost _host = null!;

    private HttpClient Client => _host.Client;

    private RecordingLinkActions Actions => _host.Actions;

    public static TheoryData<LinkAction> PageActions => [LinkAction.Human, LinkAction.Unsubscribe, LinkAction.Feedback, LinkAction.Cancel];

    public static TheoryData<LinkAction> AllActions => [.. Enum.GetValues<LinkAction>()];

    public async Task InitializeAsync() => _host = await LinkPagesHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task GettingTheHumanPageDoesNotActAndEachPostActsOnce()
    {
        var path = Url(LinkAction.Human);

        using var page = await Client.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Talk to a person", html, StringComparison.Ordinal);
        Assert.Contains("<textarea id=\"reason\" name=\"reason\" maxlength=\"500\"", html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" action=\"" + path.Split('/')[^1] + "\">", html, StringComparison.Ordinal);
        Assert.Empty(Actions.Calls);

        using var first = await PostFormAsync(path, ("reason", "About my last visit"));
        using var second = await PostFormAsync(path, ("reason", "  "));

        var confirmation = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("a person from the business will get back to you", confirmation, StringComparison.Ordinal);
        Assert.Contains("Automated marketing messages are paused until then.", confirmation, StringComparison.Ordinal);
        Assert.Collection(
            Actions.Calls,
            call => Assert.Equal(("RequestHumanAsync", "About my last visit", LinkTestData.Claims(LinkAction.Human)), (call.Method, call.Reason, call.Link)),
            call => Assert.Equal(("RequestHumanAsync", (string?)null), (call.Method, call.Reason)));
    }

    [Fact]
    public async Task AHostileReasonIsPassedThroughButEncodedWhenTheFormIsShownAgain()
    {
        const string Hostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>";

        using var accepted = await PostFormAsync(Url(LinkAction.Human), ("reason", Hostile));
        using var refused = await PostFormAsync(Url(LinkAction.Human), ("reason", Hostile + new string('!', 500)));

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(Hostile, Assert.Single(Actions.Calls).Reason);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("500 characters or fewer", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AReasonOf500CharactersWithBrowserLineBreaksIsAccepted()
    {
        var reason = string.Join("\r\n", Enumerable.Repeat(new string('a', 99), 5));

        using var response = await PostFormAsync(Url(LinkAction.Human), ("reason", reason));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(reason.Replace("\r\n", "\n", StringComparison.Ordinal), Assert.Single(Actions.Calls).Reason);
    }

    [Fact]
    public async Task GettingTheUnsubscribePageDoesNotActAndPostingUnsubscribes()
    {
        var path = Url(LinkAction.Unsubscribe);

        using var page = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("offers and news by email", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Actions.Calls);

        using var confirmation = await PostFormAsync(path);

        Assert.Equal(HttpStatusCode.OK, confirmation.StatusCode);
        Assert.Contains("You are unsubscribed.", await confirmation.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("UnsubscribeAsync", Assert.Single(Actions.Calls).Method);
    }

    [Fact]
    public async Task AOneClickUnsubscribePostUnsubscribes()
    {
        using var response = await PostFormAsync(Url(LinkAction.Unsubscribe), ("List-Unsubscribe", "One-Click"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length < 4096);
        var call = Assert.Single(Actions.Calls);
        Assert.Equal(("UnsubscribeAsync", LinkTestData.Claims(LinkAction.Unsubscribe)), (call.Method, call.Link));
    }

    [Fact]
    public async Task AClickIsRecordedAndRedirectedToTheSignedTarget()
    {
        using var response = await Client.GetAsync(Url(LinkAction.Click));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new Uri(LinkTestData.DefaultTarget(LinkAction.Click)!), response.Headers.Location);
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("RecordClickAsync", Assert.Single(Actions.Calls).Method);
    }

    [Fact]
    public async Task AClickToAnInternationalisedAddressRedirectsWithAnAsciiLocation()
    {
        using var response = await Client.GetAsync(Url(LinkAction.Click, "https://bücher.example/straße?q=ä"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%A4", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("/relative/path")]
    [InlineData("ftp://files.example/x")]
    [InlineData("")]
    public async Task AClickWhoseTargetIsNotAWebAddressIsABadRequestAndRecordsNothing(string target)
    {
        using var response = await Client.GetAsync(Url(LinkAction.Click, target));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Empty(Actions.Calls);
    }

    [Fact]
    public async Task TheOpenPixelIsAGifThatRecordsTheOpen()
    {
        using var response = await Client.GetAsync(Url(LinkAction.Open));

        await AssertGifAsync(response);
        Assert.Equal("RecordOpenAsync", Assert.Single(Actions.Calls).Method);
    }

    [Theory]
    [InlineData("/m/o/not-a-token.gif")]
    [InlineData("/m/o/AAAA.AAAAAAAAAAAAAAAAAAAAAA.gif")]
    public async Task TheOpenPixelOfAnInvalidTokenIsStillAGifButRecordsNothing(string path)
    {
        using var response = await Client.GetAsync(path);

        await AssertGifAsync(response);
        Assert.Empty(Actions.Calls);
    }

    [Fact]
    public async Task TheOpenPixelOfAnExpiredOrForgedTokenRecordsNothing()
    {
        var forged = Forge(Url(LinkAction.Open));
        _host.Time.Advance(LinkSigner.LifetimeOf(LinkAction.Open) + TimeSpan.FromSeconds(1));

        using var expired = await Client.GetAsync(Url(LinkAction.Open, issuedAt: LinkTestData.Now));
        using var forgedResponse = await Client.GetAsync(forged);

        await AssertGifAsync(expired);
        await AssertGifAsync(forgedResponse);
        Assert.Empty(Actions.Calls);
    }

    [Fact]
    public async Task TheFeedbackFormAsksForARequiredScoreAndAnOptionalComment()
    {
        using var page = await Client.GetAsync(Url(LinkAction.Feedback));
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(5, RadioButton().Count(html));
        Assert.Contains("value=\"1\" required", html, StringComparison.Ordinal);
        Assert.Contains("name=\"comment\" maxlength=\"2000\"", html, StringComparison.Ordinal);
        Assert.Empty(Actions.Calls);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("6")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("2.5")]
    [InlineData("+3")]
    [InlineData(" 3")]
    [InlineData(null)]
    public async Task FeedbackWithoutAScoreFrom1To5IsRefusedWithTheFormAgain(string? score)
    {
        (string, string)[] fields = score is null ? [("comment", "Lovely")] : [("score", score), ("comment", "Lovely")];

        using var response = await PostFormAsync(Url(LinkAction.Feedback), fields);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Please choose a rating from 1 to 5.", html, StringComparison.Ordinal);
        Assert.Equal(5, RadioButton().Count(html));
        Assert.Contains(">Lovely</textarea>", html, StringComparison.Ordinal);
        Assert.Empty(Actions.Calls);
    }

    [Fact]
    public async Task FeedbackWithTwoScoresOrAnOverlongCommentIsRefused()
    {
        using var twoScores = await PostFormAsync(Url(LinkAction.Feedback), ("score", "1"), ("score", "5"));
        using var longComment = await PostFormAsync(Url(LinkAction.Feedback), ("score", "4"), ("comment", new string('a', 2001)));

        Assert.Equal(HttpStatusCode.BadRequest, twoScores.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, longComment.StatusCode);
        Assert.Contains("2,000 characters or fewer", await longComment.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Actions.Calls);
    }

    [Fact]
    public async Task FeedbackWithAScoreAndACommentIsRecorded()
    {
        using var response = await PostFormAsync(Url(LinkAction.Feedback), ("score", "5"), ("comment", "Great haircut <3"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Thank you for your feedback.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var call = Assert.Single(Actions.Calls);
        Assert.Equal(("SubmitFeedbackAsync", 5, "Great haircut <3"), (call.Method, call.Score, call.Comment));
    }

    [Fact]
    public async Task GettingTheCancelPageDoesNotActAndPostingCancels()
    {
        using var page = await Client.GetAsync(Url(LinkAction.Cancel));
        Assert.Contains("Cancel your appointment?", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Actions.Calls);

        using var response = await PostFormAsync(Url(LinkAction.Cancel));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Your appointment is cancelled.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var call = Assert.Single(Actions.Calls);
        Assert.Equal(("CancelAppointmentAsync", "appointment-123"), (call.Method, call.Link.Target));
    }

    [Fact]
    public async Task ARefusedCancellationIsAConflictShowingTheEncodedReason()
    {
        Actions.CancelRefusal = "It is too late to cancel online; please contact us <b>today</b> & soon.";

        using var response = await PostFormAsync(Url(LinkAction.Cancel));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("It is too late to cancel online; please contact us &lt;b&gt;today&lt;/b&gt; &amp; soon.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACancelLinkWithoutAnAppointmentIsNotValid()
    {
        using var response = await PostFormAsync(_host.Path(LinkTestData.Claims(LinkAction.Cancel) with { Target = null }));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(Actions.Calls);
    }

    [Theory]
    [MemberData(nameof(AllActions))]
    public async Task AForgedTokenIsNotFoundOnEveryPage(LinkAction action)
    {
        if (action == LinkAction.Open)
        {
            return;
        }

        var forged = Forge(Url(action));

        using var get = await Client.GetAsync(forged);
        using var post = await PostFormAsync(forged, ("score", "5"));

        foreach (var response in new[] { get, post })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("This link is not valid or has expired.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(Actions.Calls);
    }

    [Theory]
    [MemberData(nameof(PageActions))]
    public async Task AnExpiredOrWrongActionTokenIsNotFound(LinkAction action)
    {
        var otherAction = action == LinkAction.Human ? LinkAction.Unsubscribe : LinkAction.Human;
        using var wrong = await Client.GetAsync($"/m/{LinkSigner.Segment(action)}/{Url(otherAction).Split('/')[^1]}");
        _host.Time.Advance(LinkSigner.LifetimeOf(action) + TimeSpan.FromSeconds(1));

        using var expired = await PostFormAsync(Url(action), ("score", "5"));

        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Empty(Actions.Calls);
    }

    [Theory]
    [InlineData("/m/z/whatever")]
    [InlineData("/m/h")]
    [InlineData("/m/h/a/b")]
    [InlineData("/m/o/token-without-extension")]
    public async Task AnUnknownLinkPathIsNotFound(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("This link is not valid or has expired.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PageActions))]
    public async Task AJsonPostIsRefusedAsUnsupportedAndActsNot(LinkAction action)
    {
        using var content = new StringContent("{\"score\":5,\"List-Unsubscribe\":\"One-Click\"}", Encoding.UTF8, "application/json");

        using var response = await Client.PostAsync(Url(action), content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Empty(Actions.Calls);
    }

    [Fact]
    public async Task AFormBodyOver16KibIsRefusedAndActsNot()
    {
        using var response = await PostFormAsync(Url(LinkAction.Unsubscribe), ("padding", new string('a', 17 * 1024)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(Actions.Calls);
    }

    [Fact]
    public async Task AMultipartFormIsAcceptedToo()
    {
        using var content = new MultipartFormDataContent { { new StringContent("4"), "score" } };

        using var response = await Client.PostAsync(Url(LinkAction.Feedback), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(4, Assert.Single(Actions.Calls).Score);
    }

    [Theory]
    [MemberData(nameof(PageActions))]
    public async Task WhenTheActionsFailTheCustomerSeesATryAgainPageAndTheFailureIsLogged(LinkAction action)
    {
        Actions.Failure = new InvalidOperationException("Profiles unavailable: secret-internal-detail");

        using var response = await PostFormAsync(Url(action), ("score", "3"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("Something went wrong on our side; please try again in a minute.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-internal-detail", html, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", html, StringComparison.Ordinal);
        Assert.Contains(_host.Logs.Entries, entry => entry.Level == LogLevel.Error && entry.Exception == Actions.Failure);
    }

    [Fact]
    public async Task WhenTrackingFailsTheClickStillRedirectsAndThePixelIsStillAGif()
    {
        Actions.Failure = new InvalidOperationException("delivery log unavailable");

        using var click = await Client.GetAsync(Url(LinkAction.Click));
        using var open = await Client.GetAsync(Url(LinkAction.Open));

        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        await AssertGifAsync(open);
        Assert.Equal(2, _host.Logs.Entries.Count(entry => entry.Level == LogLevel.Error && entry.Exception == Actions.Failure));
    }

    [Theory]
    [InlineData("GET", LinkAction.Human)]
    [InlineData("GET", LinkAction.Unsubscribe)]
    [InlineData("GET", LinkAction.Feedback)]
    [InlineData("GET", LinkAction.Cancel)]
    [InlineData("GET", LinkAction.Click)]
    [InlineData("GET", LinkAction.Open)]
    [InlineData("POST", LinkAction.Human)]
    [InlineData("POST", LinkAction.Feedback)]
    [InlineData("FORGED", LinkAction.Unsubscribe)]
    [InlineData("FAIL", LinkAction.Cancel)]
    [InlineData("JSON", LinkAction.Human)]
    public async Task EveryResponseCarriesTheSecurityHeaders(string kind, LinkAction action)
    {
        Actions.Failure = kind == "FAIL" ? new InvalidOperationException("down") : null;
        using var json = new StringContent("{}", Encoding.UTF8, "application/json");
        using var response = kind switch
        {
            "GET" => await Client.GetAsync(Url(action)),
            "FORGED" => await Client.GetAsync(Forge(Url(action))),
            "JSON" => await Client.PostAsync(Url(action), json),
            _ => await PostFormAsync(Url(action), ("score", "2")),
        };

        Assert.Equal(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'",
            Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.True(response.Headers.CacheControl!.NoStore);
    }

    [Theory]
    [MemberData(nameof(PageActions))]
    public async Task PagesAreSelfContainedAccessibleHtml(LinkAction action)
    {
        using var response = await Client.GetAsync(Url(action));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("<!DOCTYPE html><html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", html, StringComparison.Ordinal);
        Assert.Matches("<title>[^<]+</title>", html);
        Assert.Single(Heading().Matches(html));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task AssertGifAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/gif", response.Content.Headers.ContentType!.MediaType);
        Assert.True(response.Headers.CacheControl!.NoStore);
        Assert.Equal("GIF89a"u8.ToArray(), body[..6]);
        Assert.Equal((1, 1), (body[6] | (body[7] << 8), body[8] | (body[9] << 8)));
    }

    // Flips one bit of the signature's first byte: the token stays well-formed, so only the signature check refuses it.
    private static string Forge(string path)
    {
        var dot = path.LastIndexOf('.', path.EndsWith(".gif", StringComparison.Ordinal) ? path.Length - 5 : path.Length - 1);
        var replacement = path[dot + 1] == 'A' ? 'B' : 'A';
        return string.Concat(path.AsSpan(0, dot + 1), replacement.ToString(), path.AsSpan(dot + 2));
    }

    private string Url(LinkAction action, string? target = null, DateTimeOffset? issuedAt = null) =>
        _host.Path(LinkTestData.Claims(action, target, issuedAt: issuedAt));

    private async Task<HttpResponseMessage> PostFormAsync(string path, params (string Name, string Value)[] fields)
    {
        using var content = new FormUrlEncodedContent(fields.Select(field => KeyValuePair.Create(field.Name, field.Value)));
        return await Client.PostAsync(path, content);
    }

    [GeneratedRegex("<input type=\"radio\" name=\"score\" value=\"[1-5]\"")]
    private static partial Regex RadioButton();

    [GeneratedRegex("<h1[ >]")]
    private static partial Regex Heading();
}
