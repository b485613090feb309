using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace RetentionPlatform.Gateway.Tests;

/// <summary>Scopes, body limits, timeouts and request ids at the gateway.</summary>
public sealed class ProtectionTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        // Expect: 100-continue, as curl sends for large bodies: a refused body is then never sent, and the client
        // reads the refusal instead of failing on a connection the server closed mid-upload.
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.ExpectContinue = content is not null;
        request.Headers.Add("X-Api-Key", key);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await fixture.Client.SendAsync(request);
    }

    [Theory]
    [InlineData(GatewayFixture.TenantAIngestKey, "GET", "/v1/customers/c-1", "read")]
    [InlineData(GatewayFixture.TenantAReadKey, "PATCH", "/v1/customers/c-1/traits", "write")]
    [InlineData(GatewayFixture.TenantAReadKey, "DELETE", "/v1/customers/c-1", "write")]
    [InlineData(GatewayFixture.TenantAReadKey, "POST", "/v1/events", "ingest")]
    [InlineData(GatewayFixture.TenantAReadKey, "PUT", "/v1/contact-policy", "admin")]
    [InlineData(GatewayFixture.TenantAIngestKey, "POST", "/retention.profiles.v1.Profiles/GetProfile", "read")]
    [InlineData(GatewayFixture.TenantAReadKey, "POST", "/retention.profiles.v1.Profiles/SetTraits", "write")]
    public async Task AKeyWithoutTheRoutesScopeGets403NamingTheScope(string key, string method, string path, string scope)
    {
        using var response = await SendAsync(new HttpMethod(method), path, key, JsonContent.Create(new { }));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"'{scope}'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReadKeyMayReadAndAskForAContactDecision()
    {
        using var read = await SendAsync(HttpMethod.Get, "/v1/customers/c-1", GatewayFixture.TenantAReadKey);
        using var decide = await SendAsync(HttpMethod.Post, "/v1/customers/c-1/contact-decisions", GatewayFixture.TenantAReadKey, JsonContent.Create(new { channel = "email" }));

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, decide.StatusCode);
    }

    [Fact]
    public async Task ABodyOverTheRoutesLimitGets413BeforeReachingTheService()
    {
        var body = new StringContent($"{{\"note\":\"{new string('x', 100_000)}\"}}", Encoding.UTF8, "application/json");
        using var response = await SendAsync(HttpMethod.Patch, "/v1/customers/c-1/traits", GatewayFixture.TenantAKey, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ASlowServiceGets504ProblemDetailsAfterTheTimeout()
    {
        var started = DateTime.UtcNow;
        using var response = await SendAsync(HttpMethod.Get, "/v1/customers/slow", GatewayFixture.TenantAKey);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task EveryResponseCarriesARequestIdThatIsTheTraceTheServiceContinues()
    {
        const string foreignTrace = "0af7651916cd43dd8448eb211c80319c";
        using var ok = await SendAsync(HttpMethod.Get, "/v1/customers/c-1", GatewayFixture.TenantAKey, null, ("traceparent", $"00-{foreignTrace}-b7ad6b7169203331-01"));
        using var unauthenticated = await fixture.Client.GetAsync("/v1/customers/c-1");
        using var notFound = await SendAsync(HttpMethod.Get, "/v1/nothing-here", GatewayFixture.TenantAKey);

        var requestId = Assert.Single(ok.Headers.GetValues("X-Request-Id"));
        Assert.Matches("^[0-9a-f]{32}$", requestId);
        Assert.NotEqual(foreignTrace, requestId);
        var echoed = await ok.Content.ReadFromJsonAsync<EchoedRequest>();
        Assert.Contains(requestId, echoed!.Headers["traceparent"], StringComparison.Ordinal);
        Assert.Equal(requestId, echoed.Headers["x-request-id"]);
        Assert.Single(unauthenticated.Headers.GetValues("X-Request-Id"));
        Assert.Single(notFound.Headers.GetValues("X-Request-Id"));
    }

    [Fact]
    public async Task APostRepeatedWithItsIdempotencyKeyIsAnsweredFromTheFirstResponseThroughTheRealGateway()
    {
        var key = Guid.NewGuid().ToString("N");
        using var first = await SendAsync(HttpMethod.Post, "/v1/customers/c-1/identify", GatewayFixture.TenantAKey, JsonContent.Create(new { email = "ann@example.com" }), ("Idempotency-Key", key));
        using var again = await SendAsync(HttpMethod.Post, "/v1/customers/c-1/identify", GatewayFixture.TenantAKey, JsonContent.Create(new { email = "ann@example.com" }), ("Idempotency-Key", key));
        using var changed = await SendAsync(HttpMethod.Post, "/v1/customers/c-1/identify", GatewayFixture.TenantAKey, JsonContent.Create(new { email = "bob@example.com" }), ("Idempotency-Key", key));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", Assert.Single(again.Headers.GetValues("Idempotent-Replayed")));
        // The echo carries the first request's own trace id: a replay, not a second call.
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed.StatusCode);
    }

    [Fact]
    public async Task AGrpcStatusErrorFromAServiceBecomesProblemDetailsWithItsFieldViolations()
    {
        using var invalid = await SendAsync(HttpMethod.Get, "/v1/customers/rpc-invalid", GatewayFixture.TenantAKey);
        using var missing = await SendAsync(HttpMethod.Get, "/v1/customers/rpc-missing", GatewayFixture.TenantAKey);

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        var problem = await invalid.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>();
        Assert.Equal(["The start must be before the end."], problem!.Errors["start"]);
        Assert.Equal(["Unknown service."], problem.Errors["serviceId"]);
        Assert.Equal("INVALID_ARGUMENT", problem.Extensions["grpcStatus"]?.ToString());

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var notFound = await missing.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>();
        Assert.Equal("Booking b-1 was not found.", notFound!.Detail);
        Assert.Equal("Not found", notFound.Title);
    }

    [Theory]
    [InlineData(3, 400)]
    [InlineData(5, 404)]
    [InlineData(6, 409)]
    [InlineData(7, 403)]
    [InlineData(8, 429)]
    [InlineData(9, 400)]
    [InlineData(13, 500)]
    [InlineData(14, 503)]
    [InlineData(16, 401)]
    public void GrpcCodesMapToTheirHttpStatus(int grpcCode, int httpStatus) =>
        Assert.Equal(httpStatus, Protection.GrpcErrorTranslation.HttpStatusFor(grpcCode));

    [Theory]
    [InlineData(null, "16")]
    [InlineData(GatewayFixture.TenantAIngestKey, "7")]
    public async Task AGrpcCallerIsRefusedWithAGrpcStatusNotAnHttpError(string? key, string grpcStatus)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/retention.profiles.v1.Profiles/GetProfile")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        using var response = await fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(grpcStatus, Assert.Single(response.Headers.GetValues("grpc-status")));
        Assert.NotEmpty(response.Headers.GetValues("grpc-message"));
    }
}
