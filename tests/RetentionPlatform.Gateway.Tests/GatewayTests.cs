using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Gateway.Tests;

public sealed class GatewayTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private async Task<HttpResponseMessage> GetAsync(string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await fixture.Client.SendAsync(request);
    }

    [Fact]
    public async Task ARequestWithoutAKeyGets401ProblemDetails()
    {
        using var response = await GetAsync("/v1/customers/c-1");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
        Assert.Equal(401, problem!.Status);
    }

    [Theory]
    [InlineData("Authorization", "Bearer not-a-key")]
    [InlineData("X-Api-Key", "not-a-key")]
    [InlineData("Authorization", "Basic a2V5LWZvci10ZW5hbnQtYQ==")]
    public async Task AnUnknownOrMalformedKeyGets401(string header, string value)
    {
        using var response = await GetAsync("/v1/customers/c-1", (header, value));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TheBackendSeesTheKeysTenantOverHttp2AndNeverTheKey()
    {
        using var response = await GetAsync("/v1/customers/c-1", ("Authorization", $"Bearer {GatewayFixture.TenantAKey}"));

        response.EnsureSuccessStatusCode();
        var echoed = await response.Content.ReadFromJsonAsync<EchoedRequest>();
        Assert.Equal("HTTP/2", echoed!.Protocol);
        Assert.Equal("tenant-a", echoed.Headers[TenantHeaders.Tenant]);
        Assert.Equal("valid", echoed.Headers["signature-check"]);
        Assert.DoesNotContain("authorization", echoed.Headers.Keys);
        Assert.DoesNotContain("x-api-key", echoed.Headers.Keys);
    }

    [Fact]
    public async Task ASpoofedTenantHeaderIsReplacedByTheKeysTenant()
    {
        using var response = await GetAsync(
            "/v1/customers/c-1",
            ("X-Api-Key", GatewayFixture.TenantBKey),
            (TenantHeaders.Tenant, "tenant-a"),
            (TenantHeaders.GatewaySignature, "v1.1.forged"));

        var echoed = await response.Content.ReadFromJsonAsync<EchoedRequest>();
        Assert.Equal("tenant-b", echoed!.Headers[TenantHeaders.Tenant]);
        Assert.Equal("valid", echoed.Headers["signature-check"]);
    }

    [Fact]
    public async Task ABackendThatIsDownGivesProblemDetailsNotAnEmptyBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = JsonContent.Create(new { type = "identify" }) };
        request.Headers.Add("X-Api-Key", GatewayFixture.TenantAKey);
        using var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUnroutedPathIs404ProblemDetails()
    {
        using var response = await GetAsync("/v1/nothing-here", ("X-Api-Key", GatewayFixture.TenantAKey));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task HealthLivenessAndReadinessAnswerWithoutAKey()
    {
        using var health = await GetAsync("/health");
        using var alive = await GetAsync("/alive");
        using var ready = await GetAsync("/ready");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
