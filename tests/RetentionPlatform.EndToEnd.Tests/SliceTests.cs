using System.Net;
using System.Net.Http.Json;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Mvc;
using RetentionPlatform.Contracts.Profiles.V1;
using RetentionPlatform.Standalone;

namespace RetentionPlatform.EndToEnd.Tests;

/// <summary>The foundation's slice through the standalone host: gateway -> Events -> Kafka -> grain -> gateway.</summary>
public sealed class SliceTests(PlatformFixture fixture) : IClassFixture<PlatformFixture>, IDisposable
{
    private readonly PartnerClient _demo = new(fixture.Platform.GatewayHttpUrl, StandaloneOptions.DemoApiKey);
    private readonly PartnerClient _other = new(fixture.Platform.GatewayHttpUrl, StandaloneOptions.OtherApiKey);

    public void Dispose()
    {
        _demo.Dispose();
        _other.Dispose();
    }

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task APostedEventIsAcknowledgedAndShowsUpInTheProfile()
    {
        var customer = NewId("c");
        using var posted = await _demo.PostEventAsync("evt-1", customer, "order_placed", "2026-11-23T10:15:00Z");

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        Assert.Equal("evt-1", (await posted.Content.ReadFromJsonAsync<Dictionary<string, string>>())!["eventId"]);
        var profile = await _demo.WaitForProfileAsync(customer, 1);
        Assert.Equal(customer, profile.CustomerId);
        Assert.Equal("order_placed", profile.LastEventType);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 15, 0, TimeSpan.Zero), profile.FirstSeen);
        Assert.Equal(profile.FirstSeen, profile.LastSeen);
    }

    [Fact]
    public async Task ADuplicateEventIdIsCountedOnce()
    {
        var customer = NewId("c");
        (await _demo.PostEventAsync("dup", customer)).EnsureSuccessStatusCode();
        (await _demo.PostEventAsync("dup", customer)).EnsureSuccessStatusCode();
        (await _demo.PostEventAsync("dup", customer)).EnsureSuccessStatusCode();
        // One customer's events stay in order, so once the last one is visible the duplicates have been seen too.
        (await _demo.PostEventAsync("after-dup", customer, "order_placed", "2026-11-23T11:00:00Z")).EnsureSuccessStatusCode();

        var profile = await _demo.WaitForProfileAsync(customer, 2);
        Assert.Equal(2, profile.EventCount);
        Assert.Equal("order_placed", profile.LastEventType);
    }

    [Fact]
    public async Task TwoTenantsWithTheSameCustomerIdSeeTwoDifferentProfiles()
    {
        var customer = NewId("shared");
        (await _demo.PostEventAsync("a", customer)).EnsureSuccessStatusCode();
        (await _demo.PostEventAsync("b", customer, "order_placed")).EnsureSuccessStatusCode();
        (await _other.PostEventAsync("a", customer, "identify")).EnsureSuccessStatusCode();

        var demoProfile = await _demo.WaitForProfileAsync(customer, 2);
        var otherProfile = await _other.WaitForProfileAsync(customer, 1);
        Assert.Equal(2, demoProfile.EventCount);
        Assert.Equal(1, otherProfile.EventCount);
        Assert.Equal("identify", otherProfile.LastEventType);
    }

    [Fact]
    public async Task AnotherTenantCannotReadACustomerItNeverSent()
    {
        var customer = NewId("private");
        (await _demo.PostEventAsync("p1", customer)).EnsureSuccessStatusCode();
        await _demo.WaitForProfileAsync(customer, 1);

        using var response = await _other.GetAsync($"/v1/customers/{customer}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ASpoofedTenantHeaderDoesNotMoveTheEventToAnotherTenant()
    {
        var customer = NewId("spoof");
        (await _demo.PostEventAsync($$"""{"eventId":"s1","type":"identify","customerId":"{{customer}}"}""", ("x-retention-tenant", StandaloneOptions.OtherTenant))).EnsureSuccessStatusCode();

        await _demo.WaitForProfileAsync(customer, 1);
        using var response = await _other.GetAsync($"/v1/customers/{customer}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AnUnknownCustomerIs404ProblemDetails()
    {
        using var response = await _demo.GetAsync($"/v1/customers/{NewId("nobody")}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Customer not found", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Title);
    }

    [Theory]
    [InlineData("""{"type":"order_placed"}""", "customerId")]
    [InlineData("""{"type":"teleported","customerId":"c-1"}""", "type")]
    [InlineData("""{"type":"order_placed","customerId":"c-1","occurredAt":"soon"}""", "occurredAt")]
    public async Task AMalformedEventIs400ProblemDetailsNamingTheField(string json, string field)
    {
        using var response = await _demo.PostEventAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Contains(field, problem!.Errors.Keys);
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIs400ProblemDetails()
    {
        using var response = await _demo.PostEventAsync("{\"type\": order_placed");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnEventWithoutAKeyIsRefusedWith401()
    {
        using var http = new HttpClient { BaseAddress = fixture.Platform.GatewayHttpUrl };
        using var response = await http.PostAsync("/v1/events", JsonContent.Create(new { type = "identify", customerId = "c-1" }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TheProfileIsReadableOverGrpcThroughTheGateway()
    {
        var customer = NewId("grpc");
        (await _demo.PostEventAsync("g1", customer, "checkout_started", "2026-11-23T09:00:00Z")).EnsureSuccessStatusCode();
        await _demo.WaitForProfileAsync(customer, 1);

        using var channel = GrpcChannel.ForAddress(fixture.Platform.GatewayGrpcUrl);
        var client = new Contracts.Profiles.V1.Profiles.ProfilesClient(channel);
        var headers = new Metadata { { "x-api-key", StandaloneOptions.DemoApiKey } };
        var profile = await client.GetProfileAsync(new GetProfileRequest { CustomerId = customer }, headers, deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.Equal(customer, profile.CustomerId);
        Assert.Equal(1, profile.EventCount);
        Assert.Equal("checkout_started", profile.LastEventType);
        Assert.Equal(new DateTime(2026, 11, 23, 9, 0, 0, DateTimeKind.Utc), profile.LastSeen.ToDateTime());
    }

    [Fact]
    public async Task GrpcErrorsAreSpecificStatusesWithDetails()
    {
        using var channel = GrpcChannel.ForAddress(fixture.Platform.GatewayGrpcUrl);
        var client = new Contracts.Profiles.V1.Profiles.ProfilesClient(channel);
        var headers = new Metadata { { "x-api-key", StandaloneOptions.DemoApiKey } };

        var notFound = await Assert.ThrowsAsync<RpcException>(() => client.GetProfileAsync(new GetProfileRequest { CustomerId = NewId("none") }, headers).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);

        var invalid = await Assert.ThrowsAsync<RpcException>(() => client.GetProfileAsync(new GetProfileRequest { CustomerId = "" }, headers).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        var badRequest = invalid.GetRpcStatus()!.GetDetail<BadRequest>();
        Assert.Equal("customer_id", badRequest.FieldViolations.Single().Field);

        var unauthenticated = await Assert.ThrowsAsync<RpcException>(() => client.GetProfileAsync(new GetProfileRequest { CustomerId = "c-1" }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);
    }

    [Theory]
    [InlineData("recommendations")]
    [InlineData("scheduling")]
    [InlineData("notifications")]
    public async Task EveryLaterServiceIsRoutedAndHealthy(string service)
    {
        using var routed = await _demo.GetAsync($"/v1/{service}/status");
        Assert.Equal(HttpStatusCode.OK, routed.StatusCode);
        var status = await routed.Content.ReadFromJsonAsync<Dictionary<string, string>>();
        Assert.Equal(service, status!["service"]);
        Assert.Equal(StandaloneOptions.DemoTenant, status["tenant"]);

        using var http = new HttpClient();
        using var health = await http.GetAsync(new Uri(fixture.Platform.ServiceHttpUrls[service], "/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
