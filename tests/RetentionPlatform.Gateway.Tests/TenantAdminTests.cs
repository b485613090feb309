using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using RetentionPlatform.Gateway.Tenants;

namespace RetentionPlatform.Gateway.Tests;

/// <summary>Tenants and keys through the operator's admin API and a tenant's own admin key, on real PostgreSQL.</summary>
public sealed class TenantAdminTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string[] RootScope = ["root"];
    private static readonly string[] ReadScope = ["read"];
    private static readonly string[] IngestScope = ["ingest"];

    private static HttpRequestMessage Request(HttpMethod method, string path, string? bearer, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? bearer, object? body = null, HttpClient? client = null)
    {
        using var request = Request(method, path, bearer, body);
        return await (client ?? fixture.Client).SendAsync(request);
    }

    private async Task<string> NewTenantAsync(object? rateLimit = null)
    {
        var id = $"t-{Guid.NewGuid():N}"[..20];
        using var created = await SendAsync(HttpMethod.Post, "/admin/v1/tenants", GatewayFixture.OperatorKey, new { id, name = "Acme Bakery", rateLimit });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return id;
    }

    private async Task<IssuedApiKey> IssueAsync(string tenant, params string[] scopes)
    {
        using var issued = await SendAsync(HttpMethod.Post, $"/admin/v1/tenants/{tenant}/keys", GatewayFixture.OperatorKey, new { name = "web shop", scopes });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        return (await issued.Content.ReadFromJsonAsync<IssuedApiKey>(Json))!;
    }

    [Fact]
    public async Task AnOperatorCreatesATenantIssuesAKeyAndTheKeyWorksWithItsTenant()
    {
        var tenant = await NewTenantAsync();
        var key = await IssueAsync(tenant, "read");

        using var read = await SendAsync(HttpMethod.Get, "/v1/customers/c-1", key.Key);
        read.EnsureSuccessStatusCode();
        var echoed = await read.Content.ReadFromJsonAsync<EchoedRequest>();
        Assert.Equal(tenant, echoed!.Headers["x-retention-tenant"]);

        using var listed = await SendAsync(HttpMethod.Get, $"/admin/v1/tenants/{tenant}/keys", GatewayFixture.OperatorKey);
        var keys = (await listed.Content.ReadFromJsonAsync<ApiKeyList>(Json))!.Keys;
        var info = Assert.Single(keys);
        Assert.Equal(key.Prefix, info.Prefix);
        Assert.Equal(["read"], info.Scopes);
        Assert.DoesNotContain(key.Key, await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARevokedKeyIsRefusedAtOnceHereAndWithinSecondsOnTheOtherReplica()
    {
        var tenant = await NewTenantAsync();
        var key = await IssueAsync(tenant, "read");
        await WaitUntilAsync(fixture.Replica, key.Key, HttpStatusCode.OK);

        using (var revoked = await SendAsync(HttpMethod.Delete, $"/admin/v1/tenants/{tenant}/keys/{key.Prefix}", GatewayFixture.OperatorKey))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        using (var here = await SendAsync(HttpMethod.Get, "/v1/customers/c-1", key.Key))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, here.StatusCode);
        }

        var took = await WaitUntilAsync(fixture.Replica, key.Key, HttpStatusCode.Unauthorized);
        Assert.True(took < TimeSpan.FromSeconds(5), $"The replica still accepted the revoked key after {took}.");
    }

    private async Task<TimeSpan> WaitUntilAsync(HttpClient client, string key, HttpStatusCode expected)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            using var response = await SendAsync(HttpMethod.Get, "/v1/customers/c-1", key, client: client);
            if (response.StatusCode == expected)
            {
                return DateTime.UtcNow - started;
            }

            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), $"Still {response.StatusCode}, expected {expected}.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task ASuspendedTenantsKeysStopWorkingUntilItIsActiveAgain()
    {
        var tenant = await NewTenantAsync();
        var key = await IssueAsync(tenant, "read");

        (await SendAsync(HttpMethod.Patch, $"/admin/v1/tenants/{tenant}", GatewayFixture.OperatorKey, new { status = "suspended" })).EnsureSuccessStatusCode();
        using (var refused = await SendAsync(HttpMethod.Get, "/v1/customers/c-1", key.Key))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("suspended", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        (await SendAsync(HttpMethod.Patch, $"/admin/v1/tenants/{tenant}", GatewayFixture.OperatorKey, new { status = "active" })).EnsureSuccessStatusCode();
        using var accepted = await SendAsync(HttpMethod.Get, "/v1/customers/c-1", key.Key);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-operator-key")]
    [InlineData(GatewayFixture.TenantAKey)]
    public async Task TheAdminApiRefusesAnythingButTheOperatorCredential(string? bearer)
    {
        using var response = await SendAsync(HttpMethod.Get, "/admin/v1/tenants", bearer);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task BadAdminInputGetsFieldErrors()
    {
        using var response = await SendAsync(HttpMethod.Post, "/admin/v1/tenants", GatewayFixture.OperatorKey,
            new { id = "Not A Tenant", name = 42, rateLimit = new { permitsPerSecond = 0 } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"id\"", body, StringComparison.Ordinal);
        Assert.Contains("\"name\"", body, StringComparison.Ordinal);
        Assert.Contains("rateLimit.permitsPerSecond", body, StringComparison.Ordinal);

        using var scopes = await SendAsync(HttpMethod.Post, "/admin/v1/tenants/tenant-a/keys", GatewayFixture.OperatorKey, new { name = "x", scopes = RootScope });
        Assert.Equal(HttpStatusCode.BadRequest, scopes.StatusCode);
        using var twice = await SendAsync(HttpMethod.Post, "/admin/v1/tenants", GatewayFixture.OperatorKey, new { id = "tenant-a", name = "again" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        using var unknown = await SendAsync(HttpMethod.Post, "/admin/v1/tenants/no-such-tenant/keys", GatewayFixture.OperatorKey, new { name = "x", scopes = ReadScope });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task ATenantsAdminKeyManagesOnlyItsOwnKeys()
    {
        var tenant = await NewTenantAsync();
        var admin = await IssueAsync(tenant, "admin");
        var other = await NewTenantAsync();
        var othersKey = await IssueAsync(other, "read");

        using var issued = await SendAsync(HttpMethod.Post, "/v1/api-keys", admin.Key, new { name = "pos", scopes = IngestScope });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        using var listed = await SendAsync(HttpMethod.Get, "/v1/api-keys", admin.Key);
        Assert.Equal(2, (await listed.Content.ReadFromJsonAsync<ApiKeyList>(Json))!.Keys.Count);

        // Another tenant's key prefix is simply not found.
        using var foreign = await SendAsync(HttpMethod.Delete, $"/v1/api-keys/{othersKey.Prefix}", admin.Key);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        using var stillWorks = await SendAsync(HttpMethod.Get, "/v1/customers/c-1", othersKey.Key);
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);

        // A key without the admin scope cannot manage keys.
        using var readOnly = await SendAsync(HttpMethod.Get, "/v1/api-keys", othersKey.Key);
        Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
    }

    [Fact]
    public async Task ATenantsOwnRateLimitGives429WithRetryAfterAndLeavesOtherTenantsAlone()
    {
        var tenant = await NewTenantAsync(new { permitsPerSecond = 1, burst = 3 });
        var key = await IssueAsync(tenant, "read");

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6; i++)
        {
            var response = await SendAsync(HttpMethod.Get, "/v1/customers/c-1", key.Key);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited ??= response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        limited.Dispose();

        using var otherTenant = await SendAsync(HttpMethod.Get, "/v1/customers/c-1", GatewayFixture.TenantBKey);
        Assert.Equal(HttpStatusCode.OK, otherTenant.StatusCode);
    }

    [Fact]
    public async Task TheRpadminCommandLineManagesTenantsAndKeysOnTheRealGateway()
    {
        var tenant = $"cli-{Guid.NewGuid():N}"[..16];
        async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await RetentionPlatform.Admin.AdminCli.RunAsync(
                [.. args, "--url", fixture.Client.BaseAddress!.ToString(), "--operator-key", GatewayFixture.OperatorKey], output, error, environment: _ => null);
            return (exit, output.ToString(), error.ToString());
        }

        Assert.Equal(0, (await RunAsync("tenants", "create", tenant, "--name", "Corner Café")).Exit);
        var issued = await RunAsync("keys", "issue", tenant, "--name", "till", "--scopes", "read", "--json");
        Assert.Equal(0, issued.Exit);
        var key = JsonDocument.Parse(issued.Output).RootElement.GetProperty("key").GetString()!;
        var prefix = JsonDocument.Parse(issued.Output).RootElement.GetProperty("prefix").GetString()!;
        using (var works = await SendAsync(HttpMethod.Get, "/v1/customers/c-1", key))
        {
            Assert.Equal(HttpStatusCode.OK, works.StatusCode);
        }

        var listed = await RunAsync("keys", "list", tenant);
        Assert.Contains(prefix, listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listed.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("keys", "revoke", tenant, prefix)).Exit);
        using (var refused = await SendAsync(HttpMethod.Get, "/v1/customers/c-1", key))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var twice = await RunAsync("tenants", "create", tenant, "--name", "Again");
        Assert.Equal(1, twice.Exit);
        Assert.Contains("409", twice.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeysOwnRateLimitAppliesToThatKeyAloneOnTopOfItsTenants()
    {
        var tenant = await NewTenantAsync();
        using var limitedIssue = await SendAsync(HttpMethod.Post, $"/admin/v1/tenants/{tenant}/keys", GatewayFixture.OperatorKey,
            new { name = "kiosk", scopes = ReadScope, rateLimit = new { permitsPerSecond = 1, burst = 2 } });
        var limited = (await limitedIssue.Content.ReadFromJsonAsync<IssuedApiKey>(Json))!;
        var free = await IssueAsync(tenant, "read");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await SendAsync(HttpMethod.Get, "/v1/customers/c-1", limited.Key);
            statuses.Add(response.StatusCode);
        }

        using var other = await SendAsync(HttpMethod.Get, "/v1/customers/c-1", free.Key);

        Assert.Equal(new RateLimit(1, 2), limited.RateLimit);
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}
