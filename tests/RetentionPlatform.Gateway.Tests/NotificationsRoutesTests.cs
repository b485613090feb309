using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Gateway.Tests;

/// <summary>
/// The Notifications service's routes at the gateway: every rpc of <c>retention.notifications.v1.Notifications</c> and
/// every kind of REST call under <c>/v1/notifications</c> needs its one scope (reads and previews "read", changes
/// "write"), reaches the notifications cluster with the key's tenant signed, and never with a tenant the caller claims.
/// The customers' link pages under <c>/m</c> need no key and never carry a tenant.
/// </summary>
public sealed partial class NotificationsRoutesTests(NotificationsGatewayFixture fixture) : IClassFixture<NotificationsGatewayFixture>
{
    private const string Service = "retention.notifications.v1.Notifications";

    /// <summary>The scope each rpc needs: a send changes something; reading a message or previewing a template does not.</summary>
    private static readonly Dictionary<string, string> RpcScopes = new(StringComparer.Ordinal)
    {
        ["Send"] = "write",
        ["GetMessage"] = "read",
        ["Preview"] = "read",
    };

    public static TheoryData<string> Rpcs => [.. RpcScopes.Keys];

    [Fact]
    public void EveryRpcOfTheNotificationsProtoHasItsScopeDecided()
    {
        var proto = File.ReadAllText(ProtoPath());
        var service = ServiceBlock().Match(proto);
        Assert.True(service.Success, "The proto declares no 'service Notifications'.");
        var rpcs = RpcName().Matches(service.Groups["body"].Value).Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal).ToList();

        // A new rpc fails here until it is classified above and routed in gateway.routes.json with the scope it needs.
        Assert.Equal(RpcScopes.Keys.Order(StringComparer.Ordinal), rpcs);
    }

    [Theory]
    [MemberData(nameof(Rpcs))]
    public async Task EachNotificationsRpcReachesTheNotificationsServiceOnlyWithTheScopeItNeeds(string rpc)
    {
        var needed = RpcScopes[rpc];
        using (var allowed = await GrpcAsync(rpc, NotificationsGatewayFixture.KeyWith(needed)))
        {
            AssertReached(allowed, $"/{Service}/{rpc}", "tenant-a");
            Assert.Equal("0", GrpcStatus(allowed));
        }

        foreach (var scope in NotificationsGatewayFixture.Scopes.Where(s => s != needed))
        {
            using var refused = await GrpcAsync(rpc, NotificationsGatewayFixture.KeyWith(scope));

            Assert.False(refused.Headers.Contains(NotificationsGatewayFixture.ReachedHeader), $"{rpc} with a '{scope}' key reached the service.");
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Equal("7", GrpcStatus(refused));
            Assert.Contains($"'{needed}'", Uri.UnescapeDataString(refused.Headers.GetValues("grpc-message").Single()), StringComparison.Ordinal);
        }

        using var anonymous = await GrpcAsync(rpc, apiKey: null);
        Assert.Equal("16", GrpcStatus(anonymous));
        Assert.False(anonymous.Headers.Contains(NotificationsGatewayFixture.ReachedHeader));
    }

    public static TheoryData<string, string, string, string> RestCallsOutsideTheKeysScope => new()
    {
        { "ingest", "GET", "/v1/notifications/settings", "read" },
        { "ingest", "GET", "/v1/notifications/messages/m-1", "read" },
        { "ingest", "POST", "/v1/notifications/templates/welcome/preview", "read" },
        { "ingest", "POST", "/v1/notifications/messages", "write" },
        { "read", "PUT", "/v1/notifications/settings", "write" },
        { "read", "PUT", "/v1/notifications/templates/welcome/en", "write" },
        { "read", "DELETE", "/v1/notifications/templates/welcome/en", "write" },
        { "read", "POST", "/v1/notifications/messages", "write" },
        { "read", "POST", "/v1/notifications/messages/m-1/delivery-reports", "write" },
        { "write", "GET", "/v1/notifications/settings", "read" },
        { "write", "GET", "/v1/notifications/messages?customerId=c-1", "read" },
        { "write", "POST", "/v1/notifications/templates/welcome/preview", "read" },
        { "admin", "GET", "/v1/notifications/templates", "read" },
        { "admin", "POST", "/v1/notifications/messages", "write" },
    };

    [Theory]
    [MemberData(nameof(RestCallsOutsideTheKeysScope))]
    public async Task ANotificationsRestCallWithoutTheRoutesScopeGets403NamingTheScopeAndNeverReachesTheService(string keyScope, string method, string path, string needed)
    {
        using var response = await RestAsync(method, path, NotificationsGatewayFixture.KeyWith(keyScope));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"'{needed}'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains(NotificationsGatewayFixture.ReachedHeader));
    }

    public static TheoryData<string, string, string> RestCallsWithinTheKeysScope => new()
    {
        { "read", "GET", "/v1/notifications/settings" },
        { "read", "GET", "/v1/notifications/templates/welcome/en" },
        { "read", "GET", "/v1/notifications/messages?customerId=c-1" },
        { "read", "POST", "/v1/notifications/templates/welcome/preview" },
        { "write", "PUT", "/v1/notifications/settings" },
        { "write", "PUT", "/v1/notifications/templates/welcome/en" },
        { "write", "DELETE", "/v1/notifications/templates/welcome/en" },
        { "write", "POST", "/v1/notifications/messages" },
        { "write", "POST", "/v1/notifications/messages/m-1/delivery-reports" },
    };

    [Theory]
    [MemberData(nameof(RestCallsWithinTheKeysScope))]
    public async Task ANotificationsRestCallWithTheRoutesScopeReachesTheNotificationsServiceAsTheKeysTenant(string keyScope, string method, string path)
    {
        using var response = await RestAsync(method, path, NotificationsGatewayFixture.KeyWith(keyScope));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertReached(response, path.Split('?')[0], "tenant-a");
    }

    [Fact]
    public async Task AnotherTenantClaimingTenantAReachesNotificationsAsItselfOverRestAndGrpc()
    {
        var forged = new GatewayTrust(GatewayTrust.NewSecret()).Sign("tenant-a");
        (string, string)[] spoof = [(TenantHeaders.Tenant, "tenant-a"), (TenantHeaders.GatewaySignature, forged)];

        using (var rest = await RestAsync("GET", "/v1/notifications/messages/m-1", NotificationsGatewayFixture.TenantBKey, spoof))
        {
            AssertReached(rest, "/v1/notifications/messages/m-1", "tenant-b");
        }

        using var grpc = await GrpcAsync("GetMessage", NotificationsGatewayFixture.TenantBKey, spoof);
        AssertReached(grpc, $"/{Service}/GetMessage", "tenant-b");
    }

    public static TheoryData<string, string> LinkPages => new()
    {
        { "GET", "/m/h/tok-1" },
        { "POST", "/m/h/tok-1" },
        { "GET", "/m/u/tok-1" },
        { "POST", "/m/u/tok-1" },
        { "GET", "/m/c/tok-1" },
        { "GET", "/m/o/tok-1.gif" },
        { "HEAD", "/m/o/tok-1.gif" },
        { "GET", "/m/f/tok-1" },
        { "POST", "/m/x/tok-1" },
    };

    [Theory]
    [MemberData(nameof(LinkPages))]
    public async Task ALinkPageReachesTheNotificationsServiceWithoutAKeyAndWithoutATenant(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new FormUrlEncodedContent([new("reason", "too many emails")]);
        }

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(path, response.Headers.GetValues(NotificationsGatewayFixture.ReachedHeader).Single());
        Assert.Equal(NotificationsGatewayFixture.NoTenant, response.Headers.GetValues(NotificationsGatewayFixture.TenantHeader).Single());
    }

    [Fact]
    public async Task ALinkPageNeverCarriesATenantNeitherOneTheCallerClaimsNorThatOfAKeyItSends()
    {
        var forged = new GatewayTrust(GatewayTrust.NewSecret()).Sign("tenant-a");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/m/u/tok-2") { Content = new FormUrlEncodedContent([new("confirm", "yes")]) };
        request.Headers.TryAddWithoutValidation(TenantHeaders.Tenant, "tenant-a");
        request.Headers.TryAddWithoutValidation(TenantHeaders.GatewaySignature, forged);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", NotificationsGatewayFixture.TenantBKey);
        request.Headers.Add("Idempotency-Key", "link-click-1");

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(NotificationsGatewayFixture.NoTenant, response.Headers.GetValues(NotificationsGatewayFixture.TenantHeader).Single());
        Assert.Equal("no", response.Headers.GetValues(NotificationsGatewayFixture.ApiKeyHeaderSeen).Single());
        Assert.False(response.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task ALinkPageWithAnUnknownKeyIsStillServedBecauseTheTokenIsTheAuthorisation()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/m/c/tok-3");
        request.Headers.Add("x-api-key", "not-a-key-at-all");

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/m/c/tok-3", response.Headers.GetValues(NotificationsGatewayFixture.ReachedHeader).Single());
    }

    [Fact]
    public async Task ALinkPageBodyOver16KiBGets413AndNeverReachesTheService()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/m/x/tok-4") { Content = new StringContent(new string('a', 16 * 1024 + 1), Encoding.UTF8, "application/x-www-form-urlencoded") };

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.False(response.Headers.Contains(NotificationsGatewayFixture.ReachedHeader));
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task ALinkPageTakesNoOtherMethodThanGetHeadAndPost(string method)
    {
        using var response = await fixture.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/m/u/tok-5"));

        Assert.False(response.Headers.Contains(NotificationsGatewayFixture.ReachedHeader));
        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{method} answered {(int)response.StatusCode}.");
    }

    [Theory]
    [InlineData("GET", "/v1/notifications/settings")]
    [InlineData("POST", "/v1/notifications/messages")]
    [InlineData("GET", "/v1/scheduling/bookings/bk-1")]
    [InlineData("GET", "/v1/customers/c-1")]
    public async Task APartnerRouteStillNeedsAKeyBesideThePublicLinks(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await fixture.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains(NotificationsGatewayFixture.ReachedHeader));
    }

    private static void AssertReached(HttpResponseMessage response, string path, string tenant)
    {
        Assert.True(response.Headers.Contains(NotificationsGatewayFixture.ReachedHeader), $"{response.RequestMessage?.RequestUri}: did not reach the notifications service (HTTP {(int)response.StatusCode}).");
        Assert.Equal(path, response.Headers.GetValues(NotificationsGatewayFixture.ReachedHeader).Single());
        Assert.Equal(tenant, response.Headers.GetValues(NotificationsGatewayFixture.TenantHeader).Single());
        Assert.Equal("valid", response.Headers.GetValues(NotificationsGatewayFixture.SignatureHeader).Single());
    }

    private static string? GrpcStatus(HttpResponseMessage response) =>
        response.Headers.TryGetValues("grpc-status", out var header) ? header.Single()
        : response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.Single() : null;

    /// <summary>A unary call with an empty message over the gateway's HTTP/2 port, read to its end.</summary>
    private async Task<HttpResponseMessage> GrpcAsync(string rpc, string? apiKey, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{Service}/{rpc}")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (apiKey is not null)
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await fixture.Grpc.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task<HttpResponseMessage> RestAsync(string method, string path, string apiKey, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return await fixture.Http.SendAsync(request);
    }

    /// <summary>The contract, found from the test binaries upwards (the repository's <c>protos/</c> folder).</summary>
    private static string ProtoPath()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "protos", "retention", "notifications", "v1", "notifications.proto");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("protos/retention/notifications/v1/notifications.proto was not found above the test binaries.");
    }

    [GeneratedRegex(@"^service\s+Notifications\s*\{(?<body>.*?)^\}", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ServiceBlock();

    [GeneratedRegex(@"^\s*rpc\s+(?<name>\w+)\s*\(", RegexOptions.Multiline)]
    private static partial Regex RpcName();
}
