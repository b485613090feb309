using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using Grpc.Net.Client;
using RetentionPlatform.Contracts.Profiles.V1;
using RetentionPlatform.Standalone;
using RetentionPlatform.Tenancy;
using Recs = RetentionPlatform.Contracts.Recommendations.V1;
using Sched = RetentionPlatform.Contracts.Scheduling.V1;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>
/// The partner API's security through the standalone host: API keys (missing, malformed, unknown, revoked, of a
/// suspended tenant), one scope per route over REST and gRPC, tenant isolation (reads, writes, spoofed tenant
/// headers), and services refusing a tenant that the gateway did not sign.
/// </summary>
public sealed partial class PartnerApiSecurityTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>, IDisposable
{
    private const string ProblemJson = "application/problem+json";

    private static readonly string[] EssentialFields = ["customerId", "eventCount", "firstSeen", "lastSeen", "lastEventType", "identity", "traits", "consent", "mergedFrom"];

    private readonly StandalonePlatform _platform = fixture.Platform;
    private readonly HttpClient _http = NewClient(fixture.Platform.GatewayHttpUrl);
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(fixture.Platform.GatewayGrpcUrl);

    public void Dispose()
    {
        _http.Dispose();
        _channel.Dispose();
    }

    public static TheoryData<string, string> EveryKindOfRoute => new()
    {
        { "POST", "/v1/events" },
        { "POST", "/v1/events/batch" },
        { "GET", "/v1/customers/c-1" },
        { "PATCH", "/v1/customers/c-1/traits" },
        { "POST", "/v1/customers/c-1/contact-decisions" },
        { "DELETE", "/v1/customers/c-1" },
        { "GET", "/v1/segments" },
        { "PUT", "/v1/segments/s-1" },
        { "GET", "/v1/contact-policy" },
        { "PUT", "/v1/contact-policy" },
        { "GET", "/v1/api-keys" },
        { "GET", "/v1/scheduling/status" },
        { "GET", "/admin/v1/tenants" },
        { "POST", "/admin/v1/tenants/demo/keys" },
    };

    [Theory]
    [MemberData(nameof(EveryKindOfRoute))]
    public async Task ARequestWithoutAnApiKeyIsRefusedWith401ProblemDetails(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = Json("{}");
        }

        using var response = await _http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    public static TheoryData<string, string> MalformedOrUnknownKeys => new()
    {
        { "Authorization", "Bearer" },
        { "Authorization", "Bearer " },
        { "Authorization", "Bearer\t" },
        { "Authorization", "bearer" },
        { "Authorization", "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes(StandaloneOptions.DemoApiKey + ":")) },
        { "Authorization", "Token " + StandaloneOptions.DemoApiKey },
        { "Authorization", "Bearer" + StandaloneOptions.DemoApiKey },
        { "Authorization", $"Bearer {StandaloneOptions.DemoApiKey} {StandaloneOptions.DemoApiKey}" },
        { "Authorization", "Bearer " + StandaloneOptions.DemoApiKey.ToUpperInvariant() },
        { "Authorization", "Bearer " + StandaloneOptions.DemoApiKey + "\u200b" },
        { "Authorization", "Bearer rp_dev_démo_key" },
        { "Authorization", "Bearer клю\u202eч-🔑" },
        { "Authorization", "Bearer " + new string('k', 10 * 1024) },
        { "Authorization", "Bearer rpk_aaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" },
        { "Authorization", "Bearer " + StandaloneOptions.OperatorKey },
        { "X-Api-Key", "rpk_aaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" },
        { "X-Api-Key", new string('k', 10 * 1024) },
        { "X-Api-Key", "rp_dev_démo_key" },
        { "X-Api-Key", StandaloneOptions.OperatorKey },
    };

    [Theory]
    [MemberData(nameof(MalformedOrUnknownKeys))]
    public async Task AMalformedOrUnknownApiKeyIsRefusedWith401ProblemDetails(string header, string value)
    {
        foreach (var (method, path) in new[] { ("GET", "/v1/customers/c-1"), ("POST", "/v1/events"), ("GET", "/v1/contact-policy") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            Assert.True(request.Headers.TryAddWithoutValidation(header, value));
            if (method == "POST")
            {
                request.Content = Json("""{"type":"identify","customerId":"c-1"}""");
            }

            using var response = await _http.SendAsync(request);

            await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task ATenantKeyEvenWithTheAdminScopeCannotUseTheOperatorApi()
    {
        foreach (var (method, path) in new[] { ("GET", "/admin/v1/tenants"), ("GET", "/admin/v1/tenants/demo/keys"), ("PATCH", "/admin/v1/tenants/other") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", StandaloneOptions.DemoApiKey);
            if (method == "PATCH")
            {
                request.Content = Json("""{"status":"suspended"}""");
            }

            using var response = await _http.SendAsync(request);

            await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        }

        Assert.Equal("active", (string?)(await OperatorAsync(HttpMethod.Get, "/admin/v1/tenants/other", expected: HttpStatusCode.OK))!["status"]);
    }

    [Fact]
    public async Task AKeyRevokedThroughTheOperatorApiIsRefusedWithinSeconds()
    {
        var (key, prefix) = await IssueKeyAsync(StandaloneOptions.DemoTenant, "read");
        using (var before = await SendAsync(key, HttpMethod.Get, "/v1/contact-policy"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await OperatorAsync(HttpMethod.Delete, $"/admin/v1/tenants/{StandaloneOptions.DemoTenant}/keys/{prefix}", expected: HttpStatusCode.NoContent);

        await AssertRefusedWithinSecondsAsync(key);
        var refused = await Assert.ThrowsAsync<RpcException>(() => Profiles().GetProfileAsync(new GetProfileRequest { CustomerId = "c-1" }, KeyHeaders(key), Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        var listed = (await OperatorAsync(HttpMethod.Get, $"/admin/v1/tenants/{StandaloneOptions.DemoTenant}/keys", expected: HttpStatusCode.OK))!["keys"]!.AsArray();
        Assert.NotNull(listed.Single(k => (string?)k!["prefix"] == prefix)!["revokedAt"]);
    }

    [Fact]
    public async Task AKeyRevokedByItsOwnTenantIsRefusedWithinSecondsAndAnotherTenantCannotRevokeIt()
    {
        var (key, prefix) = await IssueKeyAsync(StandaloneOptions.DemoTenant, "read");

        using (var foreign = await SendAsync(StandaloneOptions.OtherApiKey, HttpMethod.Delete, $"/v1/api-keys/{prefix}"))
        {
            await AssertProblemAsync(foreign, HttpStatusCode.NotFound);
        }

        using (var stillWorks = await SendAsync(key, HttpMethod.Get, "/v1/contact-policy"))
        {
            Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
        }

        using (var revoked = await SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Delete, $"/v1/api-keys/{prefix}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        await AssertRefusedWithinSecondsAsync(key);
    }

    [Fact]
    public async Task TheKeysOfASuspendedTenantAreRefusedUntilItIsActiveAgain()
    {
        var tenant = $"sec-{Guid.NewGuid():N}"[..20];
        await OperatorAsync(HttpMethod.Post, "/admin/v1/tenants", $$"""{"id":"{{tenant}}","name":"Suspension test"}""", HttpStatusCode.Created);
        var (key, _) = await IssueKeyAsync(tenant, "read");
        using (var active = await SendAsync(key, HttpMethod.Get, "/v1/contact-policy"))
        {
            Assert.Equal(HttpStatusCode.OK, active.StatusCode);
        }

        await OperatorAsync(HttpMethod.Patch, $"/admin/v1/tenants/{tenant}", """{"status":"suspended"}""", HttpStatusCode.OK);
        await AssertRefusedWithinSecondsAsync(key);

        await OperatorAsync(HttpMethod.Patch, $"/admin/v1/tenants/{tenant}", """{"status":"active"}""", HttpStatusCode.OK);
        using var again = await SendAsync(key, HttpMethod.Get, "/v1/contact-policy");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    public static TheoryData<string, string, string, string?, string> RoutesOutsideTheKeysScope => new()
    {
        { "ingest", "GET", "/v1/customers/c-1", null, "read" },
        { "ingest", "POST", "/v1/customers/c-1/contact-decisions", """{"channel":"email","purpose":"service","kind":"k"}""", "read" },
        { "ingest", "GET", "/v1/segments", null, "read" },
        { "ingest", "PUT", "/v1/segments/s-1", """{"name":"S","conditions":[{"field":"revenue","operator":"gte","value":1}]}""", "write" },
        { "ingest", "GET", "/v1/recommendations/status", null, "read" },
        { "ingest", "GET", "/v1/recommendations/customers/c-1", null, "read" },
        { "ingest", "GET", "/v1/recommendations/items/i-1/similar", null, "read" },
        { "ingest", "POST", "/v1/recommendations/catalog/items/batch", """{"items":[{"itemId":"i-1"}]}""", "write" },
        { "ingest", "GET", "/v1/scheduling/availability?serviceId=s-1&from=2026-12-01&to=2026-12-07", null, "read" },
        { "ingest", "GET", "/v1/scheduling/bookings/bk-1", null, "read" },
        { "ingest", "POST", "/v1/scheduling/bookings", """{"serviceId":"s-1","customerId":"c-1","startsAt":"2026-12-01T09:00:00Z"}""", "write" },
        { "read", "POST", "/v1/events", """{"type":"identify","customerId":"c-1"}""", "ingest" },
        { "read", "POST", "/v1/events/batch", """{"events":[{"type":"identify","customerId":"c-1"}]}""", "ingest" },
        { "read", "PATCH", "/v1/customers/c-1/traits", """{"tier":"gold"}""", "write" },
        { "read", "DELETE", "/v1/customers/c-1", null, "write" },
        { "read", "POST", "/v1/customers/c-1/merge", """{"sourceCustomerId":"c-2"}""", "write" },
        { "read", "PUT", "/v1/contact-policy", "{}", "admin" },
        { "read", "GET", "/v1/api-keys", null, "admin" },
        { "read", "POST", "/v1/notifications/send", "{}", "write" },
        { "read", "PUT", "/v1/recommendations/catalog/items/i-1", """{"name":"Item"}""", "write" },
        { "read", "DELETE", "/v1/recommendations/catalog/items/i-1", null, "write" },
        { "read", "POST", "/v1/recommendations/catalog/items/batch", """{"items":[{"itemId":"i-1"}]}""", "write" },
        { "read", "POST", "/v1/scheduling/bookings", """{"serviceId":"s-1","customerId":"c-1","startsAt":"2026-12-01T09:00:00Z"}""", "write" },
        { "read", "POST", "/v1/scheduling/bookings/bk-1/cancel", """{"by":"business"}""", "write" },
        { "read", "PUT", "/v1/scheduling/services/s-1", """{"name":"S","duration":"PT30M","resourceIds":["r-1"]}""", "write" },
        { "write", "GET", "/v1/customers/c-1", null, "read" },
        { "write", "POST", "/v1/events", """{"type":"identify","customerId":"c-1"}""", "ingest" },
        { "write", "PUT", "/v1/contact-policy", "{}", "admin" },
        { "write", "POST", "/v1/api-keys", """{"name":"x","scopes":["admin"]}""", "admin" },
        { "write", "GET", "/v1/scheduling/status", null, "read" },
        { "write", "GET", "/v1/recommendations/popular", null, "read" },
        { "write", "GET", "/v1/recommendations/catalog/items/i-1", null, "read" },
        { "write", "GET", "/v1/recommendations/customers/c-1?limit=5", null, "read" },
        { "write", "GET", "/v1/scheduling/bookings?customerId=c-1", null, "read" },
        { "admin", "POST", "/v1/events", """{"type":"identify","customerId":"c-1"}""", "ingest" },
        { "admin", "GET", "/v1/contact-policy", null, "read" },
        { "admin", "DELETE", "/v1/segments/s-1", null, "write" },
        { "admin", "PUT", "/v1/customers/c-1/consent", """{"channel":"email","purpose":"marketing","granted":true}""", "write" },
        { "admin", "GET", "/v1/recommendations/items/i-1/similar", null, "read" },
        { "admin", "PUT", "/v1/recommendations/catalog/items/i-1", """{"name":"Item"}""", "write" },
        { "admin", "DELETE", "/v1/recommendations/catalog/items/i-1", null, "write" },
        { "admin", "POST", "/v1/scheduling/waitlist", """{"customerId":"c-1","serviceId":"s-1","date":"2026-12-01"}""", "write" },
    };

    [Theory]
    [MemberData(nameof(RoutesOutsideTheKeysScope))]
    public async Task AKeyWithoutTheRoutesScopeIsRefusedWith403ProblemDetailsNamingTheScope(string keyScope, string method, string path, string? body, string neededScope)
    {
        var (key, _) = await IssueKeyAsync(StandaloneOptions.DemoTenant, keyScope);

        using var response = await SendAsync(key, new HttpMethod(method), path, body);

        var problem = await AssertProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains($"'{neededScope}'", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASingleScopeKeyCanUseEveryRouteOfItsScope()
    {
        var customer = $"scoped-{Guid.NewGuid():N}";
        var ingest = (await IssueKeyAsync(StandaloneOptions.DemoTenant, "ingest")).Key;
        var read = (await IssueKeyAsync(StandaloneOptions.DemoTenant, "read")).Key;
        var write = (await IssueKeyAsync(StandaloneOptions.DemoTenant, "write")).Key;
        var admin = (await IssueKeyAsync(StandaloneOptions.DemoTenant, "admin")).Key;

        await ExpectAsync(HttpStatusCode.Accepted, SendAsync(ingest, HttpMethod.Post, "/v1/events", $$"""{"type":"page_viewed","customerId":"{{customer}}"}"""));
        await ExpectAsync(HttpStatusCode.OK, SendAsync(write, HttpMethod.Patch, $"/v1/customers/{customer}/traits", """{"tier":"gold"}"""));
        await ExpectAsync(HttpStatusCode.OK, SendAsync(read, HttpMethod.Get, $"/v1/customers/{customer}"));
        await ExpectAsync(HttpStatusCode.OK, SendAsync(read, HttpMethod.Post, $"/v1/customers/{customer}/contact-decisions", """{"channel":"email","purpose":"service","kind":"k"}"""));
        await ExpectAsync(HttpStatusCode.OK, SendAsync(admin, HttpMethod.Get, "/v1/api-keys"));
        await ExpectAsync(HttpStatusCode.OK, SendAsync(admin, HttpMethod.Put, "/v1/contact-policy", "{}"));
        var item = $"scoped-item-{Guid.NewGuid():N}";
        await ExpectAsync(HttpStatusCode.Created, SendAsync(write, HttpMethod.Put, $"/v1/recommendations/catalog/items/{item}", """{"name":"Scoped","category":"scoped"}"""));
        await ExpectAsync(HttpStatusCode.OK, SendAsync(read, HttpMethod.Get, $"/v1/recommendations/catalog/items/{item}"));
        await ExpectAsync(HttpStatusCode.OK, SendAsync(read, HttpMethod.Get, $"/v1/recommendations/customers/{customer}"));
        await ExpectAsync(HttpStatusCode.OK, SendAsync(read, HttpMethod.Get, $"/v1/recommendations/items/{item}/similar"));
        await ExpectAsync(HttpStatusCode.OK, SendAsync(read, HttpMethod.Get, "/v1/recommendations/popular?category=scoped"));

        var headers = KeyHeaders(read);
        var profile = await Profiles().GetProfileAsync(new GetProfileRequest { CustomerId = customer }, headers, Deadline());
        Assert.Equal(customer, profile.CustomerId);
        await Profiles().SetTraitsAsync(new SetTraitsRequest { CustomerId = customer, Traits = { ["tier"] = new TraitValue { Text = "silver" } } }, KeyHeaders(write), Deadline());
        await Profiles().SetContactPolicyAsync(new SetContactPolicyRequest { Policy = new ContactPolicy() }, KeyHeaders(admin), Deadline());
        var upserted = await Recommendations().UpsertItemsAsync(new Recs.UpsertItemsRequest { Items = { new Recs.CatalogItem { ItemId = item, Name = "Scoped again" } } }, KeyHeaders(write), Deadline());
        Assert.Equal("updated", upserted.Results.Single().Status);
        Assert.Equal("Scoped again", (await Recommendations().GetItemAsync(new Recs.GetItemRequest { ItemId = item }, headers, Deadline())).Name);
        await Recommendations().PopularItemsAsync(new Recs.PopularItemsRequest(), headers, Deadline());
        await Recommendations().DeleteItemAsync(new Recs.DeleteItemRequest { ItemId = item }, KeyHeaders(write), Deadline());
    }

    [Fact]
    public async Task AGrpcCallWithoutAValidKeyFailsUnauthenticated()
    {
        Metadata[] invalid =
        [
            [],
            new() { { "x-api-key", "rpk_aaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" } },
            new() { { "authorization", "Bearer" } },
            new() { { "authorization", "Basic cnBfZGV2X2RlbW9fa2V5Og==" } },
            new() { { "authorization", "Bearer " + new string('k', 10 * 1024) } },
            new() { { "authorization", "Bearer " + StandaloneOptions.OperatorKey } },
        ];
        foreach (var headers in invalid)
        {
            var failed = await Assert.ThrowsAsync<RpcException>(() => Profiles().GetProfileAsync(new GetProfileRequest { CustomerId = "c-1" }, headers, Deadline()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, failed.StatusCode);
            var listing = await Assert.ThrowsAsync<RpcException>(() => Profiles().SetContactPolicyAsync(new SetContactPolicyRequest(), headers, Deadline()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, listing.StatusCode);
        }

        // Underneath, the gateway answers either HTTP 401 (which gRPC clients map to UNAUTHENTICATED) or UNAUTHENTICATED itself.
        await AssertRawGrpcRefusalAsync("/retention.profiles.v1.Profiles/GetProfile", apiKey: null, HttpStatusCode.Unauthorized, StatusCode.Unauthenticated);
    }

    public static TheoryData<string, string> GrpcMethodsOutsideTheKeysScope => new()
    {
        { "ingest", "GetProfile" },
        { "ingest", "ListSegments" },
        { "ingest", "SetTraits" },
        { "read", "SetTraits" },
        { "read", "EraseCustomer" },
        { "read", "MergeCustomers" },
        { "read", "DefineSegment" },
        { "read", "SetContactPolicy" },
        { "write", "GetProfile" },
        { "write", "DecideContact" },
        { "write", "GetContactPolicy" },
        { "write", "SetContactPolicy" },
        { "admin", "GetProfile" },
        { "admin", "EraseCustomer" },
        { "admin", "DeleteSegment" },
    };

    [Theory]
    [MemberData(nameof(GrpcMethodsOutsideTheKeysScope))]
    public async Task AGrpcCallWithoutTheMethodsScopeFailsPermissionDenied(string keyScope, string method)
    {
        var (key, _) = await IssueKeyAsync(StandaloneOptions.DemoTenant, keyScope);
        var headers = KeyHeaders(key);
        var client = Profiles();
        Func<Task> call = method switch
        {
            "GetProfile" => () => client.GetProfileAsync(new GetProfileRequest { CustomerId = "c-1" }, headers, Deadline()).ResponseAsync,
            "ListSegments" => () => client.ListSegmentsAsync(new ListSegmentsRequest(), headers, Deadline()).ResponseAsync,
            "SetTraits" => () => client.SetTraitsAsync(new SetTraitsRequest { CustomerId = "c-1", Traits = { ["tier"] = new TraitValue { Text = "gold" } } }, headers, Deadline()).ResponseAsync,
            "EraseCustomer" => () => client.EraseCustomerAsync(new EraseCustomerRequest { CustomerId = "c-1" }, headers, Deadline()).ResponseAsync,
            "MergeCustomers" => () => client.MergeCustomersAsync(new MergeCustomersRequest { CustomerId = "c-1", SourceCustomerId = "c-2" }, headers, Deadline()).ResponseAsync,
            "DefineSegment" => () => client.DefineSegmentAsync(new DefineSegmentRequest { Segment = new Segment { SegmentId = "s-1", Name = "S" } }, headers, Deadline()).ResponseAsync,
            "DeleteSegment" => () => client.DeleteSegmentAsync(new DeleteSegmentRequest { SegmentId = "s-1" }, headers, Deadline()).ResponseAsync,
            "DecideContact" => () => client.DecideContactAsync(new DecideContactRequest { CustomerId = "c-1", Channel = ContactChannel.Email, Purpose = ContactPurpose.Service, Kind = "k" }, headers, Deadline()).ResponseAsync,
            "GetContactPolicy" => () => client.GetContactPolicyAsync(new GetContactPolicyRequest(), headers, Deadline()).ResponseAsync,
            "SetContactPolicy" => () => client.SetContactPolicyAsync(new SetContactPolicyRequest { Policy = new ContactPolicy() }, headers, Deadline()).ResponseAsync,
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
        };

        var failed = await Assert.ThrowsAsync<RpcException>(call);

        Assert.Equal(StatusCode.PermissionDenied, failed.StatusCode);
        await AssertRawGrpcRefusalAsync($"/retention.profiles.v1.Profiles/{method}", key, HttpStatusCode.Forbidden, StatusCode.PermissionDenied);
    }

    public static TheoryData<string, string> RecommendationsGrpcMethodsOutsideTheKeysScope => new()
    {
        { "ingest", "RecommendForCustomer" },
        { "ingest", "UpsertItems" },
        { "read", "UpsertItems" },
        { "read", "DeleteItem" },
        { "write", "SimilarItems" },
        { "write", "PopularItems" },
        { "write", "GetItem" },
        { "admin", "RecommendForCustomer" },
        { "admin", "DeleteItem" },
    };

    [Theory]
    [MemberData(nameof(RecommendationsGrpcMethodsOutsideTheKeysScope))]
    public async Task ARecommendationsGrpcCallWithoutTheMethodsScopeFailsPermissionDenied(string keyScope, string method)
    {
        var (key, _) = await IssueKeyAsync(StandaloneOptions.DemoTenant, keyScope);
        var headers = KeyHeaders(key);
        var client = Recommendations();
        Func<Task> call = method switch
        {
            "RecommendForCustomer" => () => client.RecommendForCustomerAsync(new Recs.RecommendForCustomerRequest { CustomerId = "c-1" }, headers, Deadline()).ResponseAsync,
            "SimilarItems" => () => client.SimilarItemsAsync(new Recs.SimilarItemsRequest { ItemId = "i-1" }, headers, Deadline()).ResponseAsync,
            "PopularItems" => () => client.PopularItemsAsync(new Recs.PopularItemsRequest(), headers, Deadline()).ResponseAsync,
            "GetItem" => () => client.GetItemAsync(new Recs.GetItemRequest { ItemId = "i-1" }, headers, Deadline()).ResponseAsync,
            "UpsertItems" => () => client.UpsertItemsAsync(new Recs.UpsertItemsRequest { Items = { new Recs.CatalogItem { ItemId = "i-1" } } }, headers, Deadline()).ResponseAsync,
            "DeleteItem" => () => client.DeleteItemAsync(new Recs.DeleteItemRequest { ItemId = "i-1" }, headers, Deadline()).ResponseAsync,
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
        };

        var failed = await Assert.ThrowsAsync<RpcException>(call);

        Assert.Equal(StatusCode.PermissionDenied, failed.StatusCode);
        await AssertRawGrpcRefusalAsync($"/retention.recommendations.v1.Recommendations/{method}", key, HttpStatusCode.Forbidden, StatusCode.PermissionDenied);
    }

    public static TheoryData<string, string> SchedulingGrpcMethodsOutsideTheKeysScope => new()
    {
        { "ingest", "SearchAvailability" },
        { "ingest", "GetBooking" },
        { "ingest", "Book" },
        { "read", "Book" },
        { "read", "Reschedule" },
        { "read", "Cancel" },
        { "read", "Complete" },
        { "read", "MarkNoShow" },
        { "read", "JoinWaitlist" },
        { "write", "SearchAvailability" },
        { "write", "GetBooking" },
        { "write", "ListBookings" },
        { "admin", "ListBookings" },
        { "admin", "Cancel" },
    };

    [Theory]
    [MemberData(nameof(SchedulingGrpcMethodsOutsideTheKeysScope))]
    public async Task ASchedulingGrpcCallWithoutTheMethodsScopeFailsPermissionDenied(string keyScope, string method)
    {
        var (key, _) = await IssueKeyAsync(StandaloneOptions.DemoTenant, keyScope);
        var headers = KeyHeaders(key);
        var client = Scheduling();
        var start = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2030, 1, 7, 9, 0, 0, TimeSpan.Zero));
        Func<Task> call = method switch
        {
            "SearchAvailability" => () => client.SearchAvailabilityAsync(new Sched.SearchAvailabilityRequest { ServiceId = "s-1", From = "2030-01-07", To = "2030-01-07" }, headers, Deadline()).ResponseAsync,
            "Book" => () => client.BookAsync(new Sched.BookRequest { ServiceId = "s-1", CustomerId = "c-1", StartsAt = start }, headers, Deadline()).ResponseAsync,
            "Reschedule" => () => client.RescheduleAsync(new Sched.RescheduleRequest { BookingId = "bk-1", StartsAt = start }, headers, Deadline()).ResponseAsync,
            "Cancel" => () => client.CancelAsync(new Sched.CancelRequest { BookingId = "bk-1" }, headers, Deadline()).ResponseAsync,
            "Complete" => () => client.CompleteAsync(new Sched.BookingRef { BookingId = "bk-1" }, headers, Deadline()).ResponseAsync,
            "MarkNoShow" => () => client.MarkNoShowAsync(new Sched.BookingRef { BookingId = "bk-1" }, headers, Deadline()).ResponseAsync,
            "GetBooking" => () => client.GetBookingAsync(new Sched.BookingRef { BookingId = "bk-1" }, headers, Deadline()).ResponseAsync,
            "ListBookings" => () => client.ListBookingsAsync(new Sched.ListBookingsRequest { CustomerId = "c-1" }, headers, Deadline()).ResponseAsync,
            "JoinWaitlist" => () => client.JoinWaitlistAsync(new Sched.JoinWaitlistRequest { CustomerId = "c-1", ServiceId = "s-1", Date = "2030-01-07" }, headers, Deadline()).ResponseAsync,
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
        };

        var failed = await Assert.ThrowsAsync<RpcException>(call);

        Assert.Equal(StatusCode.PermissionDenied, failed.StatusCode);
        await AssertRawGrpcRefusalAsync($"/retention.scheduling.v1.Scheduling/{method}", key, HttpStatusCode.Forbidden, StatusCode.PermissionDenied);
    }

    [Fact]
    public async Task AnotherTenantGuessingDemosIdsGetsNotFoundAndNeverSeesDemosData()
    {
        var marker = Guid.NewGuid().ToString("N");
        var customer = $"iso-{marker}";
        var email = $"ann.{marker}@example.com";
        var trait = $"trait-{marker}";
        var segment = $"seg-{marker}";
        var demo = new PartnerClient(_platform.GatewayHttpUrl, StandaloneOptions.DemoApiKey);
        using (demo)
        {
            await ExpectAsync(HttpStatusCode.Accepted, demo.PostEventAsync($$$"""{"eventId":"{{{marker}}}-1","type":"identify","customerId":"{{{customer}}}","occurredAt":"2026-01-10T10:00:00Z","properties":{"email":"{{{email}}}","firstName":"Ann{{{marker}}}"}}"""));
            await ExpectAsync(HttpStatusCode.Accepted, demo.PostEventAsync($$$"""{"eventId":"{{{marker}}}-2","type":"order_placed","customerId":"{{{customer}}}","occurredAt":"2026-01-11T10:00:00Z","properties":{"total":42}}"""));
            await demo.WaitForProfileAsync(customer, 2);
        }

        var otherPolicyBefore = await ExpectAsync(HttpStatusCode.OK, SendAsync(StandaloneOptions.OtherApiKey, HttpMethod.Get, "/v1/contact-policy"));
        await ExpectAsync(HttpStatusCode.OK, SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Patch, $"/v1/customers/{customer}/traits", $$"""{"secret":"{{trait}}"}"""));
        await ExpectAsync(HttpStatusCode.Created, SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Put, $"/v1/segments/{segment}", $$"""{"name":"Secret {{marker}}","conditions":[{"field":"revenue","operator":"gte","value":1}]}"""));
        await ExpectAsync(HttpStatusCode.OK, SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Put, "/v1/contact-policy", """{"budgetMaxTouches":7,"defaultTimeZone":"Pacific/Chatham"}"""));
        var demoProfile = await ExpectAsync(HttpStatusCode.OK, SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Get, $"/v1/customers/{customer}"));
        Assert.Equal(email, (string?)demoProfile!["identity"]!["email"]);

        // Every answer the other tenant gets; those to a question naming the email (alias lookups) may echo it back.
        var seen = new List<(string Body, bool AskedForEmail)>();
        async Task<string> OtherAsync(HttpStatusCode expected, HttpMethod method, string path, string? body = null)
        {
            using var response = await SendAsync(StandaloneOptions.OtherApiKey, method, path, body);
            var text = await response.Content.ReadAsStringAsync();
            seen.Add((text, path.Contains("alias=", StringComparison.Ordinal)));
            Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
            if ((int)expected >= 400)
            {
                Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
            }

            return text;
        }

        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/customers/{customer}");
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/customers/{customer}/export");
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/customers/resolve?alias={Uri.EscapeDataString("email:" + email)}");
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/segments/{segment}");
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/segments/{segment}/members?limit=1000");
        await OtherAsync(HttpStatusCode.OK, HttpMethod.Get, "/v1/segments");
        var decision = JsonNode.Parse(await OtherAsync(HttpStatusCode.OK, HttpMethod.Post, $"/v1/customers/{customer}/contact-decisions", """{"channel":"email","purpose":"transactional","kind":"receipt"}"""))!;
        Assert.Equal("unknown_customer", (string?)decision["reason"]);
        var otherPolicy = JsonNode.Parse(await OtherAsync(HttpStatusCode.OK, HttpMethod.Get, "/v1/contact-policy"))!;
        Assert.True(JsonNode.DeepEquals(otherPolicyBefore, otherPolicy), $"The other tenant's policy changed: {otherPolicyBefore} -> {otherPolicy}");
        Assert.NotEqual("Pacific/Chatham", (string?)otherPolicy["defaultTimeZone"]);

        var headers = KeyHeaders(StandaloneOptions.OtherApiKey);
        var client = Profiles();
        async Task GrpcNotFoundAsync(Func<Task> call, bool askedForEmail = false)
        {
            var failed = await Assert.ThrowsAsync<RpcException>(call);
            seen.Add((failed.Status.Detail, askedForEmail));
            Assert.Equal(StatusCode.NotFound, failed.StatusCode);
        }

        await GrpcNotFoundAsync(() => client.GetProfileAsync(new GetProfileRequest { CustomerId = customer }, headers, Deadline()).ResponseAsync);
        await GrpcNotFoundAsync(() => client.ExportCustomerAsync(new ExportCustomerRequest { CustomerId = customer }, headers, Deadline()).ResponseAsync);
        await GrpcNotFoundAsync(() => client.ResolveAliasAsync(new ResolveAliasRequest { Alias = "email:" + email }, headers, Deadline()).ResponseAsync, askedForEmail: true);
        await GrpcNotFoundAsync(() => client.ListSegmentMembersAsync(new ListSegmentMembersRequest { SegmentId = segment }, headers, Deadline()).ResponseAsync);
        var segments = await client.ListSegmentsAsync(new ListSegmentsRequest(), headers, Deadline());
        seen.Add((segments.ToString(), false));
        Assert.DoesNotContain(segments.Segments, s => s.SegmentId == segment);
        var policy = await client.GetContactPolicyAsync(new GetContactPolicyRequest(), headers, Deadline());
        seen.Add((policy.ToString(), false));
        Assert.NotEqual("Pacific/Chatham", policy.DefaultTimeZone);
        var grpcDecision = await client.DecideContactAsync(new DecideContactRequest { CustomerId = customer, Channel = ContactChannel.Email, Purpose = ContactPurpose.Transactional, Kind = "receipt" }, headers, Deadline());
        seen.Add((grpcDecision.ToString(), false));
        Assert.Equal("unknown_customer", grpcDecision.Reason);

        Assert.Equal(15, seen.Count);
        foreach (var secret in new[] { trait, $"Ann{marker}", $"Secret {marker}", "Pacific/Chatham" })
        {
            Assert.DoesNotContain(seen, answer => answer.Body.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }

        Assert.DoesNotContain(seen, answer => !answer.AskedForEmail && answer.Body.Contains(email, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AnotherTenantErasingOrMergingDemosIdsChangesNothingForDemo()
    {
        var marker = Guid.NewGuid().ToString("N");
        var target = $"keep-{marker}";
        var source = $"dupe-{marker}";
        var segment = $"keep-seg-{marker}";
        var email = $"bob.{marker}@example.com";
        using (var demo = new PartnerClient(_platform.GatewayHttpUrl, StandaloneOptions.DemoApiKey))
        {
            await ExpectAsync(HttpStatusCode.Accepted, demo.PostEventAsync($$$"""{"eventId":"{{{marker}}}-1","type":"identify","customerId":"{{{target}}}","properties":{"email":"{{{email}}}"}}"""));
            await ExpectAsync(HttpStatusCode.Accepted, demo.PostEventAsync($"{marker}-2", source, "page_viewed"));
            await demo.WaitForProfileAsync(target, 1);
            await demo.WaitForProfileAsync(source, 1);
        }

        await ExpectAsync(HttpStatusCode.Created, SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Put, $"/v1/segments/{segment}", """{"name":"Kept","conditions":[{"field":"eventCount","operator":"gte","value":1000000}]}"""));
        var targetBefore = await ExpectAsync(HttpStatusCode.OK, SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Get, $"/v1/customers/{target}"));
        var sourceBefore = await ExpectAsync(HttpStatusCode.OK, SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Get, $"/v1/customers/{source}"));

        var other = StandaloneOptions.OtherApiKey;
        using (var merge = await SendAsync(other, HttpMethod.Post, $"/v1/customers/{source}/merge", $$"""{"sourceCustomerId":"{{target}}"}"""))
        {
            // Whatever the other tenant's own (empty) customers make of it, it is never a server error.
            Assert.True(merge.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound or HttpStatusCode.Conflict, $"merge: {(int)merge.StatusCode} {await merge.Content.ReadAsStringAsync()}");
        }

        await ExpectAsync(HttpStatusCode.NoContent, SendAsync(other, HttpMethod.Delete, $"/v1/customers/{target}"));
        await ExpectAsync(HttpStatusCode.NotFound, SendAsync(other, HttpMethod.Delete, $"/v1/segments/{segment}"));
        var headers = KeyHeaders(other);
        await Profiles().EraseCustomerAsync(new EraseCustomerRequest { CustomerId = source }, headers, Deadline());
        var missing = await Assert.ThrowsAsync<RpcException>(() => Profiles().DeleteSegmentAsync(new DeleteSegmentRequest { SegmentId = segment }, headers, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        var targetAfter = await ExpectAsync(HttpStatusCode.OK, SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Get, $"/v1/customers/{target}"));
        var sourceAfter = await ExpectAsync(HttpStatusCode.OK, SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Get, $"/v1/customers/{source}"));
        Assert.Equal(Essentials(targetBefore!), Essentials(targetAfter!));
        Assert.Equal(Essentials(sourceBefore!), Essentials(sourceAfter!));
        Assert.Equal(email, (string?)targetAfter!["identity"]!["email"]);
        Assert.Equal(source, (string?)sourceAfter!["customerId"]);
        await ExpectAsync(HttpStatusCode.OK, SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Get, $"/v1/segments/{segment}"));
        var resolved = await ExpectAsync(HttpStatusCode.OK, SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Get, $"/v1/customers/resolve?alias={Uri.EscapeDataString("email:" + email)}"));
        Assert.Equal(target, (string?)resolved!["customerId"]);
    }

    [Fact]
    public async Task AnotherTenantUsingDemosCustomerAndItemIdsNeverSeesDemosCatalogOrWhatDemosRecommendationsLearned()
    {
        var marker = Guid.NewGuid().ToString("N");
        var itemA = $"rec-a-{marker}";
        var itemB = $"rec-b-{marker}";
        var buyer = $"rec-buyer-{marker}";
        var shopper = $"rec-shopper-{marker}";
        string[] demoSecrets = [$"Demo secret A {marker}", $"Demo secret B {marker}", $"demo-cat-{marker}"];
        var demo = StandaloneOptions.DemoApiKey;
        var other = StandaloneOptions.OtherApiKey;
        await ExpectAsync(HttpStatusCode.Created, SendAsync(demo, HttpMethod.Put, $"/v1/recommendations/catalog/items/{itemA}", $$"""{"name":"{{demoSecrets[0]}}","category":"{{demoSecrets[2]}}","price":10}"""));
        await ExpectAsync(HttpStatusCode.Created, SendAsync(demo, HttpMethod.Put, $"/v1/recommendations/catalog/items/{itemB}", $$"""{"name":"{{demoSecrets[1]}}","category":"{{demoSecrets[2]}}","price":20}"""));
        await SendCoPurchaseAsync(demo, $"{marker}-demo");

        // Demo's own model has learned the pair before the other tenant looks: its absence there then means isolation, not lag.
        var learned = await WaitForLearnedPairAsync(demo, shopper, itemB, itemA);
        Assert.Equal("boughtTogether", (string?)learned["reason"]!["kind"]);
        Assert.Equal(demoSecrets[1], (string?)learned["item"]!["name"]);

        // Every answer the other tenant gets; a 404 may echo the id it asked for, nothing may show demo's names or category.
        var seen = new List<string>();
        async Task<JsonNode?> OtherAsync(HttpStatusCode expected, HttpMethod method, string path)
        {
            using var response = await SendAsync(other, method, path);
            var text = await response.Content.ReadAsStringAsync();
            seen.Add(text);
            Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
            if ((int)expected >= 400)
            {
                Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
            }

            return text.Length == 0 ? null : JsonNode.Parse(text);
        }

        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/recommendations/catalog/items/{itemA}");
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/recommendations/items/{itemA}/similar");
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Delete, $"/v1/recommendations/catalog/items/{itemA}");
        foreach (var path in new[]
        {
            $"/v1/recommendations/customers/{shopper}?limit=100", $"/v1/recommendations/customers/{buyer}?limit=100",
            "/v1/recommendations/popular?limit=100", $"/v1/recommendations/popular?category={demoSecrets[2]}",
        })
        {
            var list = await OtherAsync(HttpStatusCode.OK, HttpMethod.Get, path);
            Assert.DoesNotContain(ItemIds(list!), id => id == itemA || id == itemB);
        }

        var headers = KeyHeaders(other);
        var client = Recommendations();
        async Task GrpcNotFoundAsync(Func<Task> call)
        {
            var failed = await Assert.ThrowsAsync<RpcException>(call);
            seen.Add(failed.Status.Detail);
            Assert.Equal(StatusCode.NotFound, failed.StatusCode);
        }

        await GrpcNotFoundAsync(() => client.GetItemAsync(new Recs.GetItemRequest { ItemId = itemA }, headers, Deadline()).ResponseAsync);
        await GrpcNotFoundAsync(() => client.SimilarItemsAsync(new Recs.SimilarItemsRequest { ItemId = itemA }, headers, Deadline()).ResponseAsync);
        await GrpcNotFoundAsync(() => client.DeleteItemAsync(new Recs.DeleteItemRequest { ItemId = itemA }, headers, Deadline()).ResponseAsync);
        foreach (var list in new[]
        {
            await client.RecommendForCustomerAsync(new Recs.RecommendForCustomerRequest { CustomerId = shopper, Limit = 100 }, headers, Deadline()),
            await client.PopularItemsAsync(new Recs.PopularItemsRequest { Limit = 100 }, headers, Deadline()),
        })
        {
            seen.Add(list.ToString());
            Assert.DoesNotContain(list.Items, r => r.Item.ItemId == itemA || r.Item.ItemId == itemB);
        }

        // The other tenant's own customers with the same ids buy the same item ids: its model learns the pair from its own
        // events only, so its items are its own placeholders (no name, uncategorised), never demo's catalog entries.
        await SendCoPurchaseAsync(other, $"{marker}-other");
        var own = await WaitForLearnedPairAsync(other, shopper, itemB, itemA);
        seen.Add(own.ToJsonString());
        Assert.Null((string?)own["item"]!["name"]);
        Assert.Equal("uncategorised", (string?)own["item"]!["category"]);
        var ownItem = await OtherAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1/recommendations/catalog/items/{itemA}");
        Assert.Null((string?)ownItem!["name"]);
        var grpcOwn = await client.RecommendForCustomerAsync(new Recs.RecommendForCustomerRequest { CustomerId = shopper, Limit = 100 }, headers, Deadline());
        seen.Add(grpcOwn.ToString());
        Assert.Contains(grpcOwn.Items, r => r.Item.ItemId == itemB && r.Item.Name.Length == 0);

        // Removing its own item with demo's id removes nothing of demo's.
        await OtherAsync(HttpStatusCode.NoContent, HttpMethod.Delete, $"/v1/recommendations/catalog/items/{itemA}");
        await client.DeleteItemAsync(new Recs.DeleteItemRequest { ItemId = itemB }, headers, Deadline());

        Assert.Equal(16, seen.Count);
        foreach (var secret in demoSecrets)
        {
            Assert.DoesNotContain(seen, answer => answer.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }

        var demoItem = await ExpectAsync(HttpStatusCode.OK, SendAsync(demo, HttpMethod.Get, $"/v1/recommendations/catalog/items/{itemA}"));
        Assert.Equal(demoSecrets[0], (string?)demoItem!["name"]);
        Assert.Equal(demoSecrets[1], (await Recommendations().GetItemAsync(new Recs.GetItemRequest { ItemId = itemB }, KeyHeaders(demo), Deadline())).Name);
        var similar = await ExpectAsync(HttpStatusCode.OK, SendAsync(demo, HttpMethod.Get, $"/v1/recommendations/items/{itemA}/similar"));
        Assert.Contains(itemB, ItemIds(similar!));
        var stillLearned = await ExpectAsync(HttpStatusCode.OK, SendAsync(demo, HttpMethod.Get, $"/v1/recommendations/customers/{shopper}?limit=100"));
        Assert.Contains(itemB, ItemIds(stillLearned!));

        // One customer buys A and B together; another has A in the cart, so B is what the model should suggest to them.
        async Task SendCoPurchaseAsync(string apiKey, string eventPrefix)
        {
            using var partner = new PartnerClient(_platform.GatewayHttpUrl, apiKey);
            await ExpectAsync(HttpStatusCode.Accepted, partner.PostEventAsync($$$"""{"eventId":"{{{eventPrefix}}}-1","type":"order_placed","customerId":"{{{buyer}}}","properties":{"total":30,"itemIds":["{{{itemA}}}","{{{itemB}}}"]}}"""));
            await ExpectAsync(HttpStatusCode.Accepted, partner.PostEventAsync($$$"""{"eventId":"{{{eventPrefix}}}-2","type":"cart_updated","customerId":"{{{shopper}}}","properties":{"itemIds":["{{{itemA}}}"]}}"""));
        }
    }

    [Fact]
    public async Task AnotherTenantUsingDemosBookingAndServiceIdsNeitherSeesNorChangesDemosAppointment()
    {
        var marker = Guid.NewGuid().ToString("N")[..16];
        var (location, resource, service, customer) = ($"loc-{marker}", $"res-{marker}", $"svc-{marker}", $"sched-{marker}");
        string[] demoSecrets = [$"Demo secret note {marker}", $"Demo secret cut {marker}", $"Demo secret stylist {marker}"];
        var demo = StandaloneOptions.DemoApiKey;
        var other = StandaloneOptions.OtherApiKey;
        var allDay = "{" + string.Join(',', Enum.GetNames<DayOfWeek>().Select(d => $$"""
            "{{d.ToLowerInvariant()}}":[{"start":"00:00","end":"24:00"}]
            """)) + "}";
        await ExpectAsync(HttpStatusCode.Created, SendAsync(demo, HttpMethod.Put, $"/v1/scheduling/locations/{location}", """{"name":"Demo studio","timeZone":"Europe/Berlin"}"""));
        await ExpectAsync(HttpStatusCode.Created, SendAsync(demo, HttpMethod.Put, $"/v1/scheduling/resources/{resource}", $$"""{"name":"{{demoSecrets[2]}}","locationId":"{{location}}","workingHours":{{allDay}}}"""));
        await ExpectAsync(HttpStatusCode.Created, SendAsync(demo, HttpMethod.Put, $"/v1/scheduling/services/{service}", $$"""{"name":"{{demoSecrets[1]}}","duration":"PT30M","resourceIds":["{{resource}}"]}"""));

        // Demo books over gRPC with a write key and reads it back over REST and over gRPC with a read key.
        var now = DateTimeOffset.UtcNow.AddDays(2);
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        var write = KeyHeaders((await IssueKeyAsync(StandaloneOptions.DemoTenant, "write")).Key);
        var read = KeyHeaders((await IssueKeyAsync(StandaloneOptions.DemoTenant, "read")).Key);
        var book = new Sched.BookRequest
        {
            ServiceId = service, CustomerId = customer, StartsAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(start), Notes = demoSecrets[0], ClientKey = $"ck-{marker}",
        };
        var booked = (await Scheduling().BookAsync(book, write, Deadline())).Booking;
        Assert.Equal(("booked", resource, demoSecrets[0]), (booked.Status, booked.ResourceId, booked.Notes));
        var bookingId = booked.BookingId;
        var overRest = await ExpectAsync(HttpStatusCode.OK, SendAsync(demo, HttpMethod.Get, $"/v1/scheduling/bookings/{bookingId}"));
        Assert.Equal(demoSecrets[0], (string?)overRest!["notes"]);
        Assert.Equal(booked.LocalStartsAt, (string?)overRest["localStartsAt"]);
        Assert.Equal(bookingId, (await Scheduling().GetBookingAsync(new Sched.BookingRef { BookingId = bookingId }, read, Deadline())).Booking.BookingId);

        // Every answer the other tenant gets; a 404 may echo the id it asked for, nothing may show demo's note, service or resource.
        var seen = new List<string>();
        async Task<JsonNode?> OtherAsync(HttpStatusCode expected, HttpMethod method, string path, string? body = null)
        {
            using var response = await SendAsync(other, method, path, body);
            var text = await response.Content.ReadAsStringAsync();
            seen.Add(text);
            Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
            if ((int)expected >= 400)
            {
                Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
            }

            return text.Length == 0 ? null : JsonNode.Parse(text);
        }

        var day = start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var startText = start.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/scheduling/bookings/{bookingId}");
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/v1/scheduling/bookings/{bookingId}/cancel", """{"by":"business","reason":"taken over"}""");
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/v1/scheduling/bookings/{bookingId}/reschedule", $$"""{"startsAt":"{{startText}}","by":"business"}""");
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/v1/scheduling/bookings/{bookingId}/no-show");
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/scheduling/services/{service}");
        await OtherAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/v1/scheduling/resources/{resource}");
        await OtherAsync(HttpStatusCode.BadRequest, HttpMethod.Get, $"/v1/scheduling/availability?serviceId={service}&from={day}&to={day}");
        Assert.Empty((await OtherAsync(HttpStatusCode.OK, HttpMethod.Get, $"/v1/scheduling/bookings?customerId={customer}"))!["bookings"]!.AsArray());

        var headers = KeyHeaders(other);
        var client = Scheduling();
        async Task GrpcFailsAsync(StatusCode expected, Func<Task> call)
        {
            var failed = await Assert.ThrowsAsync<RpcException>(call);
            seen.Add(failed.Status.Detail);
            Assert.Equal(expected, failed.StatusCode);
        }

        var reference = new Sched.BookingRef { BookingId = bookingId };
        await GrpcFailsAsync(StatusCode.NotFound, () => client.GetBookingAsync(reference, headers, Deadline()).ResponseAsync);
        await GrpcFailsAsync(StatusCode.NotFound, () => client.CancelAsync(new Sched.CancelRequest { BookingId = bookingId, By = Sched.Actor.Business }, headers, Deadline()).ResponseAsync);
        await GrpcFailsAsync(StatusCode.NotFound, () => client.RescheduleAsync(new Sched.RescheduleRequest { BookingId = bookingId, StartsAt = book.StartsAt, By = Sched.Actor.Business }, headers, Deadline()).ResponseAsync);
        await GrpcFailsAsync(StatusCode.NotFound, () => client.CompleteAsync(reference, headers, Deadline()).ResponseAsync);
        await GrpcFailsAsync(StatusCode.NotFound, () => client.MarkNoShowAsync(reference, headers, Deadline()).ResponseAsync);
        await GrpcFailsAsync(StatusCode.InvalidArgument, () => client.SearchAvailabilityAsync(new Sched.SearchAvailabilityRequest { ServiceId = service, From = day, To = day }, headers, Deadline()).ResponseAsync);

        // Demo's client key means nothing to the other tenant: it cannot replay demo's booking with it.
        await GrpcFailsAsync(StatusCode.InvalidArgument, () => client.BookAsync(book, headers, Deadline()).ResponseAsync);
        var list = await client.ListBookingsAsync(new Sched.ListBookingsRequest { CustomerId = customer }, headers, Deadline());
        seen.Add(list.ToString());
        Assert.Empty(list.Bookings);

        Assert.Equal(16, seen.Count);
        foreach (var secret in demoSecrets)
        {
            Assert.DoesNotContain(seen, answer => answer.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }

        // Demo's appointment is as it was: booked, at its time, with its note; the same client key replays it.
        var after = (await Scheduling().GetBookingAsync(reference, read, Deadline())).Booking;
        Assert.Equal(("booked", book.StartsAt, demoSecrets[0], ""), (after.Status, after.StartsAt, after.Notes, after.CancelReason));
        var replay = await Scheduling().BookAsync(book, write, Deadline());
        Assert.True(replay.Replayed);
        Assert.Equal(bookingId, replay.Booking.BookingId);
        Assert.Equal(bookingId, Assert.Single((await Scheduling().ListBookingsAsync(new Sched.ListBookingsRequest { CustomerId = customer }, read, Deadline())).Bookings).BookingId);
        var cancelled = await Scheduling().CancelAsync(new Sched.CancelRequest { BookingId = bookingId, By = Sched.Actor.Business, Reason = "test over" }, write, Deadline());
        Assert.Equal(("cancelled", "test over"), (cancelled.Booking.Status, cancelled.Booking.CancelReason));
    }

    [Fact]
    public async Task SpoofedTenantAndSignatureHeadersFromAnotherTenantAreIgnored()
    {
        var marker = Guid.NewGuid().ToString("N");
        var customer = $"spoof-{marker}";
        using (var demo = new PartnerClient(_platform.GatewayHttpUrl, StandaloneOptions.DemoApiKey))
        {
            await ExpectAsync(HttpStatusCode.Accepted, demo.PostEventAsync($$$"""{"eventId":"{{{marker}}}","type":"identify","customerId":"{{{customer}}}","properties":{"email":"{{{marker}}}@example.com"}}"""));
            await demo.WaitForProfileAsync(customer, 1);
        }

        // Even a signature that services would accept (made with the real secret) is dropped by the gateway.
        var genuine = new GatewayTrust(_platform.GatewaySecret).Sign(StandaloneOptions.DemoTenant);
        (string, string)[] spoof = [(TenantHeaders.Tenant, StandaloneOptions.DemoTenant), (TenantHeaders.GatewaySignature, genuine)];

        using (var read = await SendAsync(StandaloneOptions.OtherApiKey, HttpMethod.Get, $"/v1/customers/{customer}", headers: spoof))
        {
            var body = await AssertProblemAsync(read, HttpStatusCode.NotFound);
            Assert.DoesNotContain(marker + "@", body.ToJsonString(), StringComparison.Ordinal);
        }

        using (var status = await SendAsync(StandaloneOptions.OtherApiKey, HttpMethod.Get, "/v1/notifications/status", headers: spoof))
        {
            Assert.Equal(StandaloneOptions.OtherTenant, (string?)JsonNode.Parse(await status.Content.ReadAsStringAsync())!["tenant"]);
        }

        var spoofedCustomer = $"spoofed-{marker}";
        await ExpectAsync(HttpStatusCode.Accepted, SendAsync(StandaloneOptions.OtherApiKey, HttpMethod.Post, "/v1/events", $$"""{"eventId":"{{marker}}-s","type":"page_viewed","customerId":"{{spoofedCustomer}}"}""", spoof));
        using (var other = new PartnerClient(_platform.GatewayHttpUrl, StandaloneOptions.OtherApiKey))
        {
            await other.WaitForProfileAsync(spoofedCustomer, 1);
        }

        await ExpectAsync(HttpStatusCode.NotFound, SendAsync(StandaloneOptions.DemoApiKey, HttpMethod.Get, $"/v1/customers/{spoofedCustomer}"));

        var metadata = KeyHeaders(StandaloneOptions.OtherApiKey);
        metadata.Add(TenantHeaders.Tenant, StandaloneOptions.DemoTenant);
        metadata.Add(TenantHeaders.GatewaySignature, genuine);
        var grpc = await Assert.ThrowsAsync<RpcException>(() => Profiles().GetProfileAsync(new GetProfileRequest { CustomerId = customer }, metadata, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, grpc.StatusCode);

        // Without an API key the headers buy nothing at all.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/customers/{customer}");
        request.Headers.Add(TenantHeaders.Tenant, StandaloneOptions.DemoTenant);
        request.Headers.Add(TenantHeaders.GatewaySignature, genuine);
        using var anonymous = await _http.SendAsync(request);
        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        var anonymousGrpc = await Assert.ThrowsAsync<RpcException>(() => Profiles().GetProfileAsync(
            new GetProfileRequest { CustomerId = customer },
            new Metadata { { TenantHeaders.Tenant, StandaloneOptions.DemoTenant }, { TenantHeaders.GatewaySignature, genuine } },
            Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymousGrpc.StatusCode);
    }

    public static TheoryData<string, string, string, string?> DirectServiceCalls => new()
    {
        { "profiles", "GET", "/v1/customers/c-1", null },
        { "profiles", "GET", "/v1/contact-policy", null },
        { "profiles", "PUT", "/v1/contact-policy", "{}" },
        { "profiles", "PATCH", "/v1/customers/c-1/traits", """{"tier":"gold"}""" },
        { "events", "POST", "/v1/events", """{"type":"identify","customerId":"c-1"}""" },
        { "events", "POST", "/v1/events/batch", """{"events":[{"type":"identify","customerId":"c-1"}]}""" },
        { "scheduling", "GET", "/v1/scheduling/status", null },
        { "scheduling", "GET", "/v1/scheduling/bookings?customerId=c-1", null },
        { "scheduling", "POST", "/v1/scheduling/bookings/direct-1/cancel", """{"by":"business"}""" },
        { "recommendations", "GET", "/v1/recommendations/popular", null },
        { "recommendations", "PUT", "/v1/recommendations/catalog/items/direct-1", """{"name":"Direct"}""" },
    };

    [Theory]
    [MemberData(nameof(DirectServiceCalls))]
    public async Task AServiceCalledDirectlyRefusesATenantTheGatewayDidNotSignWith401(string service, string method, string path, string? body)
    {
        var demo = StandaloneOptions.DemoTenant;
        var now = DateTimeOffset.UtcNow;
        var refused = new (string Why, string? Signature)[]
        {
            ("tenant header only", null),
            ("empty signature", ""),
            ("forged with another secret", new GatewayTrust(GatewayTrust.NewSecret()).Sign(demo)),
            ("expired", new GatewayTrust(_platform.GatewaySecret, new FixedTime(now - GatewayTrust.MaxAge - TimeSpan.FromMinutes(1))).Sign(demo)),
            ("from the future", new GatewayTrust(_platform.GatewaySecret, new FixedTime(now + GatewayTrust.MaxAge + TimeSpan.FromMinutes(1))).Sign(demo)),
            ("signed for another tenant", new GatewayTrust(_platform.GatewaySecret).Sign(StandaloneOptions.OtherTenant)),
            ("malformed", "v1.not-a-time.AAAA"),
            ("wrong version", "v2" + new GatewayTrust(_platform.GatewaySecret).Sign(demo)[2..]),
            ("truncated mac", new GatewayTrust(_platform.GatewaySecret).Sign(demo)[..^2]),
            ("huge timestamp", $"v1.{long.MaxValue}.AAAA"),
        };
        using var direct = NewClient(_platform.ServiceHttpUrls[service]);
        foreach (var (why, signature) in refused)
        {
            using var request = Request(method, path, body, signature);
            using var response = await direct.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{why}: expected 401, got {(int)response.StatusCode}: {text}");
            Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        }

        // The same call with a genuine signature gets through, so the refusals above are the signature's doing.
        using var genuine = Request(method, path, body, new GatewayTrust(_platform.GatewaySecret).Sign(demo));
        using var accepted = await direct.SendAsync(genuine);
        Assert.True((int)accepted.StatusCode is >= 200 and < 300 or 404, $"genuine signature: got {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}");

        static HttpRequestMessage Request(string method, string path, string? body, string? signature)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Headers.Add(TenantHeaders.Tenant, StandaloneOptions.DemoTenant);
            if (signature is not null)
            {
                request.Headers.TryAddWithoutValidation(TenantHeaders.GatewaySignature, signature);
            }

            if (body is not null)
            {
                request.Content = Json(body);
            }

            return request;
        }
    }

    [Fact]
    public async Task AGrpcServiceCalledDirectlyRefusesATenantTheGatewayDidNotSign()
    {
        using var channel = GrpcChannel.ForAddress(_platform.ServiceGrpcUrls["profiles"]);
        var client = new Contracts.Profiles.V1.Profiles.ProfilesClient(channel);
        string?[] signatures =
        [
            null,
            new GatewayTrust(GatewayTrust.NewSecret()).Sign(StandaloneOptions.DemoTenant),
            new GatewayTrust(_platform.GatewaySecret, new FixedTime(DateTimeOffset.UtcNow.AddHours(-1))).Sign(StandaloneOptions.DemoTenant),
            new GatewayTrust(_platform.GatewaySecret).Sign(StandaloneOptions.OtherTenant),
        ];
        foreach (var signature in signatures)
        {
            var headers = new Metadata { { TenantHeaders.Tenant, StandaloneOptions.DemoTenant } };
            if (signature is not null)
            {
                headers.Add(TenantHeaders.GatewaySignature, signature);
            }

            var failed = await Assert.ThrowsAsync<RpcException>(() => client.GetContactPolicyAsync(new GetContactPolicyRequest(), headers, Deadline()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, failed.StatusCode);
            var write = await Assert.ThrowsAsync<RpcException>(() => client.SetTraitsAsync(new SetTraitsRequest { CustomerId = "c-1", Traits = { ["x"] = new TraitValue { Flag = true } } }, headers, Deadline()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, write.StatusCode);
        }
    }

    [Fact]
    public async Task TheSchedulingGrpcServiceCalledDirectlyRefusesATenantTheGatewayDidNotSignBeforeLookingAtTheRequest()
    {
        using var channel = GrpcChannel.ForAddress(_platform.ServiceGrpcUrls["scheduling"]);
        var client = new Sched.Scheduling.SchedulingClient(channel);
        string?[] signatures =
        [
            null,
            new GatewayTrust(GatewayTrust.NewSecret()).Sign(StandaloneOptions.DemoTenant),
            new GatewayTrust(_platform.GatewaySecret).Sign(StandaloneOptions.OtherTenant),
        ];
        foreach (var signature in signatures)
        {
            var headers = new Metadata { { TenantHeaders.Tenant, StandaloneOptions.DemoTenant } };
            if (signature is not null)
            {
                headers.Add(TenantHeaders.GatewaySignature, signature);
            }

            var read = await Assert.ThrowsAsync<RpcException>(() => client.ListBookingsAsync(new Sched.ListBookingsRequest { CustomerId = "c-1" }, headers, Deadline()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, read.StatusCode);

            // An invalid request is not even looked at: the caller learns nothing before it is authenticated.
            var write = await Assert.ThrowsAsync<RpcException>(() => client.BookAsync(new Sched.BookRequest(), headers, Deadline()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, write.StatusCode);
        }

        // The same calls with a genuine signature get through, so the refusals above are the signature's doing.
        var genuine = new Metadata
        {
            { TenantHeaders.Tenant, StandaloneOptions.DemoTenant },
            { TenantHeaders.GatewaySignature, new GatewayTrust(_platform.GatewaySecret).Sign(StandaloneOptions.DemoTenant) },
        };
        await client.ListBookingsAsync(new Sched.ListBookingsRequest { CustomerId = "c-1" }, genuine, Deadline());
        var invalid = await Assert.ThrowsAsync<RpcException>(() => client.BookAsync(new Sched.BookRequest(), genuine, Deadline()).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
    }

    private static HttpClient NewClient(Uri baseAddress) =>
        new(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8, AllowAutoRedirect = false }) { BaseAddress = baseAddress };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static DateTime Deadline() => DateTime.UtcNow.AddSeconds(10);

    private static Metadata KeyHeaders(string apiKey) => new() { { "x-api-key", apiKey } };

    private Contracts.Profiles.V1.Profiles.ProfilesClient Profiles() => new(_channel);

    private Recs.Recommendations.RecommendationsClient Recommendations() => new(_channel);

    private Sched.Scheduling.SchedulingClient Scheduling() => new(_channel);

    private async Task<HttpResponseMessage> SendAsync(string apiKey, HttpMethod method, string path, string? json = null, (string Name, string Value)[]? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (json is not null)
        {
            request.Content = Json(json);
        }

        return await _http.SendAsync(request);
    }

    /// <summary>
    /// A bare gRPC call (an empty message) through the gateway's HTTP/2 port: refused either with the HTTP status gRPC clients
    /// map to <paramref name="grpc"/>, or with <paramref name="grpc"/> itself (trailers-only).
    /// </summary>
    private async Task AssertRawGrpcRefusalAsync(string path, string? apiKey, HttpStatusCode http, StatusCode grpc)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_platform.GatewayGrpcUrl, path))
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

        using var response = await client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var status = response.Headers.TryGetValues("grpc-status", out var header) ? header.Single()
            : response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.Single() : null;
        var expected = ((int)grpc).ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(
            (response.StatusCode == http && status is null) || (response.StatusCode == HttpStatusCode.OK && status == expected),
            $"{path}: expected HTTP {(int)http} or grpc-status {expected}, got HTTP {(int)response.StatusCode} with grpc-status {status ?? "none"}");
    }

    /// <summary>
    /// Reads the customer's recommendations with the key until <paramref name="itemId"/> is among them because of
    /// <paramref name="relatedItemId"/> (the model learns from Kafka asynchronously, and one customer's events may be
    /// applied before another's) and returns that recommendation; fails after 30 seconds with the last answer.
    /// </summary>
    private async Task<JsonNode> WaitForLearnedPairAsync(string apiKey, string customerId, string itemId, string relatedItemId)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            using var response = await SendAsync(apiKey, HttpMethod.Get, $"/v1/recommendations/customers/{Uri.EscapeDataString(customerId)}?limit=100");
            last = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"recommendations for {customerId}: {(int)response.StatusCode} {last}");
            if (JsonNode.Parse(last)!["items"]!.AsArray().FirstOrDefault(r => (string?)r!["item"]!["itemId"] == itemId && (string?)r["reason"]!["relatedItemId"] == relatedItemId) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The recommendations for {customerId} did not come to include {itemId} for {relatedItemId} within 30 s; last answer: {last}");
    }

    private static IEnumerable<string?> ItemIds(JsonNode list) => list["items"]!.AsArray().Select(r => (string?)r!["item"]!["itemId"]);

    private async Task<JsonNode?> OperatorAsync(HttpMethod method, string path, string? json = null, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ExpectAsync(expected, SendAsync(StandaloneOptions.OperatorKey, method, path, json));

    private async Task<(string Key, string Prefix)> IssueKeyAsync(string tenant, params string[] scopes)
    {
        var body = $$"""{"name":"security test","scopes":[{{string.Join(",", scopes.Select(s => $"\"{s}\""))}}]}""";
        var issued = (await OperatorAsync(HttpMethod.Post, $"/admin/v1/tenants/{tenant}/keys", body, HttpStatusCode.Created))!;
        return ((string)issued["key"]!, (string)issued["prefix"]!);
    }

    /// <summary>Calls with the key until the gateway refuses it (401 ProblemDetails), failing after 5 seconds.</summary>
    private async Task AssertRefusedWithinSecondsAsync(string key)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await SendAsync(key, HttpMethod.Get, "/v1/contact-policy");
            if (response.StatusCode == HttpStatusCode.Unauthorized || clock.Elapsed > TimeSpan.FromSeconds(5))
            {
                await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
                return;
            }

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Task.Delay(50);
        }
    }

    private static async Task<JsonNode> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal(ProblemJson, response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal((int)expected, (int)problem["status"]!);
        return problem;
    }

    private static async Task<JsonNode?> ExpectAsync(HttpStatusCode expected, Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>What another tenant's erasure or merge would change in a profile, as text to compare.</summary>
    private static string Essentials(JsonNode profile) =>
        string.Join(" | ", EssentialFields.Select(field => $"{field}={profile[field]?.ToJsonString()}"));

    /// <summary>A clock stopped at one instant, to sign with a time other than now.</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
