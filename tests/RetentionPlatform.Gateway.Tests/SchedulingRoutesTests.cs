using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Gateway.Tests;

/// <summary>
/// The Scheduling service's routes at the gateway: every rpc of <c>retention.scheduling.v1.Scheduling</c> and every
/// kind of REST call under <c>/v1/scheduling</c> needs its one scope (reads "read", changes "write"), reaches the
/// scheduling cluster with the key's tenant signed, and never with a tenant the caller claims.
/// </summary>
public sealed partial class SchedulingRoutesTests(SchedulingGatewayFixture fixture) : IClassFixture<SchedulingGatewayFixture>
{
    private const string Service = "retention.scheduling.v1.Scheduling";

    /// <summary>The scope each rpc needs: the reads change nothing; every other rpc changes an appointment or the waitlist.</summary>
    private static readonly Dictionary<string, string> RpcScopes = new(StringComparer.Ordinal)
    {
        ["SearchAvailability"] = "read",
        ["GetBooking"] = "read",
        ["ListBookings"] = "read",
        ["Book"] = "write",
        ["Reschedule"] = "write",
        ["Cancel"] = "write",
        ["Complete"] = "write",
        ["MarkNoShow"] = "write",
        ["JoinWaitlist"] = "write",
    };

    public static TheoryData<string> Rpcs => [.. RpcScopes.Keys];

    [Fact]
    public void EveryRpcOfTheSchedulingProtoHasItsScopeDecided()
    {
        var proto = File.ReadAllText(ProtoPath());
        var service = ServiceBlock().Match(proto);
        Assert.True(service.Success, "The proto declares no 'service Scheduling'.");
        var rpcs = RpcName().Matches(service.Groups["body"].Value).Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal).ToList();

        // A new rpc fails here until it is classified above and routed in gateway.routes.json with the scope it needs.
        Assert.Equal(RpcScopes.Keys.Order(StringComparer.Ordinal), rpcs);
    }

    [Theory]
    [MemberData(nameof(Rpcs))]
    public async Task EachSchedulingRpcReachesTheSchedulingServiceOnlyWithTheScopeItNeeds(string rpc)
    {
        var needed = RpcScopes[rpc];
        using (var allowed = await GrpcAsync(rpc, SchedulingGatewayFixture.KeyWith(needed)))
        {
            AssertReached(allowed, $"/{Service}/{rpc}", "tenant-a");
            Assert.Equal("0", GrpcStatus(allowed));
        }

        foreach (var scope in SchedulingGatewayFixture.Scopes.Where(s => s != needed))
        {
            using var refused = await GrpcAsync(rpc, SchedulingGatewayFixture.KeyWith(scope));

            Assert.False(refused.Headers.Contains(SchedulingGatewayFixture.ReachedHeader), $"{rpc} with a '{scope}' key reached the service.");
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Equal("7", GrpcStatus(refused));
            Assert.Contains($"'{needed}'", Uri.UnescapeDataString(refused.Headers.GetValues("grpc-message").Single()), StringComparison.Ordinal);
        }

        using var anonymous = await GrpcAsync(rpc, apiKey: null);
        Assert.Equal("16", GrpcStatus(anonymous));
        Assert.False(anonymous.Headers.Contains(SchedulingGatewayFixture.ReachedHeader));
    }

    public static TheoryData<string, string, string, string> RestCallsOutsideTheKeysScope => new()
    {
        { "ingest", "GET", "/v1/scheduling/availability?serviceId=s-1&from=2026-12-01&to=2026-12-07", "read" },
        { "ingest", "GET", "/v1/scheduling/bookings/bk-1", "read" },
        { "ingest", "GET", "/v1/scheduling/bookings?customerId=c-1", "read" },
        { "ingest", "POST", "/v1/scheduling/bookings", "write" },
        { "ingest", "POST", "/v1/scheduling/waitlist", "write" },
        { "read", "POST", "/v1/scheduling/bookings", "write" },
        { "read", "POST", "/v1/scheduling/bookings/bk-1/reschedule", "write" },
        { "read", "POST", "/v1/scheduling/bookings/bk-1/cancel", "write" },
        { "read", "POST", "/v1/scheduling/bookings/bk-1/complete", "write" },
        { "read", "POST", "/v1/scheduling/bookings/bk-1/no-show", "write" },
        { "read", "PUT", "/v1/scheduling/services/s-1", "write" },
        { "read", "DELETE", "/v1/scheduling/waitlist/wl-1", "write" },
        { "write", "GET", "/v1/scheduling/bookings/bk-1", "read" },
        { "write", "GET", "/v1/scheduling/availability?serviceId=s-1&from=2026-12-01&to=2026-12-07", "read" },
        { "admin", "GET", "/v1/scheduling/bookings/bk-1", "read" },
        { "admin", "POST", "/v1/scheduling/bookings", "write" },
    };

    [Theory]
    [MemberData(nameof(RestCallsOutsideTheKeysScope))]
    public async Task ASchedulingRestCallWithoutTheRoutesScopeGets403NamingTheScopeAndNeverReachesTheService(string keyScope, string method, string path, string needed)
    {
        using var response = await RestAsync(method, path, SchedulingGatewayFixture.KeyWith(keyScope));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"'{needed}'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains(SchedulingGatewayFixture.ReachedHeader));
    }

    public static TheoryData<string, string, string> RestCallsWithinTheKeysScope => new()
    {
        { "read", "GET", "/v1/scheduling/availability?serviceId=s-1&from=2026-12-01&to=2026-12-07" },
        { "read", "GET", "/v1/scheduling/bookings/bk-1" },
        { "read", "GET", "/v1/scheduling/bookings?customerId=c-1" },
        { "read", "GET", "/v1/scheduling/services" },
        { "write", "POST", "/v1/scheduling/bookings" },
        { "write", "POST", "/v1/scheduling/bookings/bk-1/cancel" },
        { "write", "PUT", "/v1/scheduling/services/s-1" },
        { "write", "DELETE", "/v1/scheduling/waitlist/wl-1" },
    };

    [Theory]
    [MemberData(nameof(RestCallsWithinTheKeysScope))]
    public async Task ASchedulingRestCallWithTheRoutesScopeReachesTheSchedulingServiceAsTheKeysTenant(string keyScope, string method, string path)
    {
        using var response = await RestAsync(method, path, SchedulingGatewayFixture.KeyWith(keyScope));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertReached(response, path.Split('?')[0], "tenant-a");
    }

    [Fact]
    public async Task AnotherTenantClaimingTenantAReachesSchedulingAsItselfOverRestAndGrpc()
    {
        var forged = new GatewayTrust(GatewayTrust.NewSecret()).Sign("tenant-a");
        (string, string)[] spoof = [(TenantHeaders.Tenant, "tenant-a"), (TenantHeaders.GatewaySignature, forged)];

        using (var rest = await RestAsync("GET", "/v1/scheduling/bookings/bk-1", SchedulingGatewayFixture.TenantBKey, spoof))
        {
            AssertReached(rest, "/v1/scheduling/bookings/bk-1", "tenant-b");
        }

        using var grpc = await GrpcAsync("GetBooking", SchedulingGatewayFixture.TenantBKey, spoof);
        AssertReached(grpc, $"/{Service}/GetBooking", "tenant-b");
    }

    private static void AssertReached(HttpResponseMessage response, string path, string tenant)
    {
        Assert.True(response.Headers.Contains(SchedulingGatewayFixture.ReachedHeader), $"{response.RequestMessage?.RequestUri}: did not reach the scheduling service (HTTP {(int)response.StatusCode}).");
        Assert.Equal(path, response.Headers.GetValues(SchedulingGatewayFixture.ReachedHeader).Single());
        Assert.Equal(tenant, response.Headers.GetValues(SchedulingGatewayFixture.TenantHeader).Single());
        Assert.Equal("valid", response.Headers.GetValues(SchedulingGatewayFixture.SignatureHeader).Single());
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
            var candidate = Path.Combine(directory.FullName, "protos", "retention", "scheduling", "v1", "scheduling.proto");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("protos/retention/scheduling/v1/scheduling.proto was not found above the test binaries.");
    }

    [GeneratedRegex(@"^service\s+Scheduling\s*\{(?<body>.*?)^\}", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ServiceBlock();

    [GeneratedRegex(@"^\s*rpc\s+(?<name>\w+)\s*\(", RegexOptions.Multiline)]
    private static partial Regex RpcName();
}
