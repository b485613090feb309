using System.Net;
using System.Text;
using RetentionPlatform.Gateway.Tests.Idempotency;

namespace RetentionPlatform.Gateway.Tests;

/// <summary>
/// <c>Idempotency-Key</c> at the gateway, against real PostgreSQL: each test gets its own database and a
/// host with the middleware in front of counting endpoints (<see cref="IdempotencyTestHost"/>).
/// </summary>
public sealed class IdempotencyTests : IAsyncLifetime
{
    private const string Things = "/v1/things";
    private const string ThingBody = """{"name":"gift card","amount":25}""";
    private const string Replayed = "Idempotent-Replayed";
    private const string ProblemJson = "application/problem+json";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private IdempotencyTestHost _host = null!;

    public async Task InitializeAsync() => _host = await IdempotencyTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RepeatingAPostWithTheSameKeyReplaysTheStoredResponseWithoutReachingTheBackend()
    {
        var key = NewKey();

        using var first = await PostAsync(Things, ThingBody, key);
        var firstBody = await first.Content.ReadAsStringAsync();
        using var second = await PostAsync(Things, ThingBody, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Contains("gift card", firstBody, StringComparison.Ordinal);
        Assert.False(first.Headers.Contains(Replayed));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("true", Assert.Single(second.Headers.GetValues(Replayed)));
        Assert.Equal(1, _host.Calls(Things));
    }

    [Fact]
    public async Task ResponsesProxiedThroughYarpAreStoredAsTheyStreamAndReplayed()
    {
        var key = NewKey();

        using var first = await PostAsync("/v1/proxied/things", ThingBody, key);
        var firstBody = await first.Content.ReadAsStringAsync();
        using var second = await PostAsync("/v1/proxied/things", ThingBody, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Contains("gift card", firstBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.True(second.Headers.Contains(Replayed));
        Assert.Equal(1, _host.Calls(Things));
    }

    [Theory]
    [InlineData(Things, """{"name":"gift card","amount":50}""")]
    [InlineData(Things + "?currency=usd", ThingBody)]
    [InlineData("/v1/status/201", ThingBody)]
    public async Task TheSameKeyWithADifferentRequestIsRefusedWith422(string path, string body)
    {
        var key = NewKey();
        using var first = await PostAsync(Things, ThingBody, key);

        using var second = await PostAsync(path, body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await AssertProblemAsync(second, HttpStatusCode.UnprocessableEntity, "different request");
        Assert.Equal(1, _host.Calls(Things) + _host.Calls("/v1/status/201"));
    }

    [Fact]
    public async Task TwoTenantsUsingTheSameKeyAreIndependent()
    {
        var key = NewKey();

        using var a = await PostAsync(Things, ThingBody, key, tenant: "tenant-a");
        using var b = await PostAsync(Things, """{"name":"voucher"}""", key, tenant: "tenant-b");
        using var aAgain = await PostAsync(Things, ThingBody, key, tenant: "tenant-a");
        using var bAgain = await PostAsync(Things, """{"name":"voucher"}""", key, tenant: "tenant-b");

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.Created, b.StatusCode);
        Assert.NotEqual(await a.Content.ReadAsStringAsync(), await b.Content.ReadAsStringAsync());
        Assert.Equal(await a.Content.ReadAsStringAsync(), await aAgain.Content.ReadAsStringAsync());
        Assert.Equal(await b.Content.ReadAsStringAsync(), await bAgain.Content.ReadAsStringAsync());
        Assert.True(aAgain.Headers.Contains(Replayed));
        Assert.True(bAgain.Headers.Contains(Replayed));
        Assert.Equal(2, _host.Calls(Things));
    }

    [Fact]
    public async Task TwentyConcurrentRequestsWithTheSameKeyReachTheBackendOnce()
    {
        var key = NewKey();
        var hold = _host.HoldNextCall();

        var requests = Enumerable.Range(0, 20).Select(_ => PostAsync(Things, ThingBody, key)).ToList();
        await hold.Entered.WaitAsync(Timeout);

        // While the backend holds the one request that claimed the key, every other one must be answered.
        var pending = requests.ToList();
        var answered = new List<HttpResponseMessage>();
        while (answered.Count < requests.Count - 1)
        {
            var done = await Task.WhenAny(pending).WaitAsync(Timeout);
            pending.Remove(done);
            answered.Add(await done);
        }

        hold.Release();
        using var winner = await Assert.Single(pending).WaitAsync(Timeout);
        using var later = await PostAsync(Things, ThingBody, key);

        foreach (var response in answered)
        {
            await AssertProblemAsync(response, HttpStatusCode.Conflict, "still being processed");
            Assert.Equal("1", response.Headers.RetryAfter?.ToString());
            response.Dispose();
        }

        Assert.Equal(HttpStatusCode.Created, winner.StatusCode);
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.True(later.Headers.Contains(Replayed));
        Assert.Equal(await winner.Content.ReadAsStringAsync(), await later.Content.ReadAsStringAsync());
        Assert.Equal(1, _host.Calls(Things));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(408)]
    [InlineData(401)]
    [InlineData(403)]
    public async Task ResponsesWorthRetryingAreNotStoredSoARetryRunsAgain(int status)
    {
        var key = NewKey();
        var path = $"/v1/status/{status}";

        using var first = await PostAsync(path, ThingBody, key);
        using var retry = await PostAsync(path, ThingBody, key);

        Assert.Equal(status, (int)first.StatusCode);
        Assert.Equal(status, (int)retry.StatusCode);
        Assert.False(retry.Headers.Contains(Replayed));
        Assert.NotEqual(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(2, _host.Calls(path));
        Assert.Empty(await _host.StoredKeysAsync());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task ClientErrorsAreStoredAndReplayedLikeSuccesses(int status)
    {
        var key = NewKey();
        var path = $"/v1/status/{status}";

        using var first = await PostAsync(path, ThingBody, key);
        using var retry = await PostAsync(path, ThingBody, key);

        Assert.Equal(status, (int)retry.StatusCode);
        Assert.True(retry.Headers.Contains(Replayed));
        Assert.Equal(ProblemJson, retry.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(1, _host.Calls(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("tab\tinside")]
    [InlineData("a-key-of-256-characters")]
    public async Task AnInvalidKeyIsRefusedWith400WithoutReachingTheBackend(string key)
    {
        if (key == "a-key-of-256-characters")
        {
            key = new string('k', 256);
        }

        using var response = await PostAsync(Things, ThingBody, key);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "printable ASCII");
        Assert.Equal(0, _host.Calls(Things));
    }

    [Fact]
    public async Task AKeyOf255PrintableCharactersIsAccepted()
    {
        var key = new string('k', 254) + "~";

        using var first = await PostAsync(Things, ThingBody, key);
        using var retry = await PostAsync(Things, ThingBody, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.True(retry.Headers.Contains(Replayed));
        Assert.Equal(1, _host.Calls(Things));
    }

    [Fact]
    public async Task GetRequestsPostsWithoutAKeyAndUnauthenticatedPostsPassThroughUntouched()
    {
        var key = NewKey();

        using var get1 = await SendAsync(new HttpRequestMessage(HttpMethod.Get, Things), key, "tenant-a");
        using var get2 = await SendAsync(new HttpRequestMessage(HttpMethod.Get, Things), key, "tenant-a");
        using var noKey1 = await PostAsync(Things, ThingBody, key: null);
        using var noKey2 = await PostAsync(Things, ThingBody, key: null);
        using var noTenant1 = await PostAsync(Things, ThingBody, key, tenant: null);
        using var noTenant2 = await PostAsync(Things, ThingBody, key, tenant: null);

        Assert.Equal(HttpStatusCode.OK, get2.StatusCode);
        Assert.NotEqual(await get1.Content.ReadAsStringAsync(), await get2.Content.ReadAsStringAsync());
        Assert.NotEqual(await noKey1.Content.ReadAsStringAsync(), await noKey2.Content.ReadAsStringAsync());
        Assert.NotEqual(await noTenant1.Content.ReadAsStringAsync(), await noTenant2.Content.ReadAsStringAsync());
        Assert.All([get2, noKey2, noTenant2], response => Assert.False(response.Headers.Contains(Replayed)));
        Assert.Equal(6, _host.Calls(Things));
        Assert.Empty(await _host.StoredKeysAsync());
    }

    [Fact]
    public async Task GrpcCallsPassThroughBecauseTheirStatusTravelsInTrailersThatAreNotStored()
    {
        var key = NewKey();

        using var first = await SendAsync(GrpcCall(), key, "tenant-a");
        using var second = await SendAsync(GrpcCall(), key, "tenant-a");

        Assert.False(second.Headers.Contains(Replayed));
        Assert.NotEqual(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(2, _host.Calls(Things));
        Assert.Empty(await _host.StoredKeysAsync());

        static HttpRequestMessage GrpcCall() => new(HttpMethod.Post, Things)
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]) { Headers = { { "Content-Type", "application/grpc" } } },
        };
    }

    [Fact]
    public async Task AClaimAbandonedLongerThanTheStaleTimeoutIsTakenOver()
    {
        var key = NewKey();
        var hold = _host.HoldNextCall();
        var stuck = PostAsync(Things, ThingBody, key);
        await hold.Entered.WaitAsync(Timeout);

        using var whileFresh = await PostAsync(Things, ThingBody, key);
        _host.Time.Advance(TimeSpan.FromMinutes(3));
        using var takeover = await PostAsync(Things, ThingBody, key);
        hold.Release();
        using var stuckResponse = await stuck.WaitAsync(Timeout);
        using var replay = await PostAsync(Things, ThingBody, key);

        Assert.Equal(HttpStatusCode.Conflict, whileFresh.StatusCode);
        Assert.Equal(HttpStatusCode.Created, takeover.StatusCode);
        Assert.False(takeover.Headers.Contains(Replayed));
        Assert.Equal(HttpStatusCode.Created, stuckResponse.StatusCode);
        Assert.True(replay.Headers.Contains(Replayed));
        // The taken-over request finishing late must not overwrite what its successor stored.
        Assert.Equal(await takeover.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(2, _host.Calls(Things));
    }

    [Fact]
    public async Task ThePeriodicCleanupDeletesRecordsOlderThanTheRetention()
    {
        var oldKey = "old-" + NewKey();
        var recentKey = "recent-" + NewKey();
        using var old = await PostAsync(Things, ThingBody, oldKey);
        _host.Time.Advance(TimeSpan.FromHours(23));
        using var recent = await PostAsync(Things, ThingBody, recentKey);
        Assert.Equal([oldKey, recentKey], await _host.StoredKeysAsync());

        var expired = _host.Logs.FirstAsync("IdempotencyRecordsExpired");
        _host.Time.Advance(TimeSpan.FromHours(1) + IdempotencyTestHost.CleanupInterval);
        var message = await expired.WaitAsync(Timeout);

        Assert.StartsWith("Deleted 1 idempotency records", message, StringComparison.Ordinal);
        Assert.Equal([recentKey], await _host.StoredKeysAsync());
    }

    [Fact]
    public async Task AKeyPastTheRetentionRunsAgainEvenBeforeTheCleanup()
    {
        var key = NewKey();
        using var first = await PostAsync(Things, ThingBody, key);
        _host.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));

        using var again = await PostAsync(Things, ThingBody, key);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.False(again.Headers.Contains(Replayed));
        Assert.NotEqual(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(2, _host.Calls(Things));
    }

    [Fact]
    public async Task ABodyOverTheRequestLimitIsRefusedWith413WithoutReachingTheBackend()
    {
        var body = new string('x', IdempotencyTestHost.MaxRequestBodyBytes + 1);

        using var response = await PostAsync(Things, body, NewKey());

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "");
        Assert.Equal(0, _host.Calls(Things));
        Assert.Empty(await _host.StoredKeysAsync());
    }

    private static string NewKey() => Guid.NewGuid().ToString();

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detailContains, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains(Replayed));
    }

    private Task<HttpResponseMessage> PostAsync(string path, string body, string? key, string? tenant = "tenant-a") =>
        SendAsync(
            new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") },
            key,
            tenant);

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? key, string? tenant)
    {
        using (request)
        {
            if (key is not null)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
            }

            if (tenant is not null)
            {
                request.Headers.Add(IdempotencyTestHost.TenantHeader, tenant);
            }

            return await _host.Client.SendAsync(request);
        }
    }
}
