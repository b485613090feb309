using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using RetentionPlatform.Admin;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Gateway.Tests;

/// <summary>
/// rpadmin's command handling, run in-process against a real Kestrel server on loopback that serves the admin API
/// contract minimally (an in-memory tenant and key store). The server records every request it receives, so each
/// test checks what went over the wire as well as what the operator sees.
/// </summary>
public sealed class AdminCliTests : IAsyncLifetime
{
    private const string OperatorKey = "op-key-7c1e9d";
    private static readonly DateTimeOffset Created = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Revoked = new(2025, 4, 2, 17, 5, 9, TimeSpan.Zero);

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, StubTenant> _tenants = new();
    private readonly ConcurrentDictionary<string, List<StubKey>> _keys = new();
    private WebApplication _server = null!;
    private string _url = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The gateway's appsettings.json lands in the test output folder; its Kestrel endpoints (8080/8081) are not ours.
        builder.Configuration.Sources.Clear();
        ListenOptions listen = null!;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => listen = o));
        _server = builder.Build();
        _server.Use(RecordAndAuthorizeAsync);
        MapAdminApi(_server);
        await _server.StartAsync();
        _url = $"http://{listen.IPEndPoint}";
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CreatingATenantPostsItsIdNameAndRateLimitAndPrintsTheTenant()
    {
        var run = await RunAsync("tenants", "create", "acme", "--name", "Acme Bakery", "--rate", "100", "--burst", "200");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var request = Assert.Single(_requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/admin/v1/tenants", request.Path);
        AssertJson("""{"id":"acme","name":"Acme Bakery","rateLimit":{"permitsPerSecond":100,"burst":200}}""", request.Body);
        Assert.Equal(
            Lines(
                "Created tenant acme.",
                "",
                "Id          acme",
                "Name        Acme Bakery",
                "Status      active",
                "Rate limit  100/s burst 200",
                "Created     2025-03-01 09:30:00Z"),
            run.Output);
        Assert.Empty(run.Error);
    }

    [Fact]
    public async Task CreatingATenantWithoutALimitLeavesRateLimitOutOfTheBody()
    {
        var run = await RunAsync("tenants", "create", "acme", "--name", "Acme Bakery");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        AssertJson("""{"id":"acme","name":"Acme Bakery"}""", Assert.Single(_requests).Body);
        Assert.Contains("Rate limit  default", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRequestCarriesTheOperatorKeyAsABearerTokenAndTheRpadminUserAgent()
    {
        Seed(Tenant("acme"));

        await RunAsync("tenants", "list");
        await RunAsync("tenants", "show", "acme");
        await RunAsync("keys", "list", "acme");

        Assert.Equal(3, _requests.Count);
        Assert.All(_requests, r => Assert.Equal($"Bearer {OperatorKey}", r.Authorization));
        Assert.All(_requests, r => Assert.Equal("rpadmin/1", r.UserAgent));
    }

    [Fact]
    public async Task CreatingATenantThatExistsExitsWith1AndPrintsTheConflict()
    {
        Seed(Tenant("acme"));

        var run = await RunAsync("tenants", "create", "acme", "--name", "Acme Again");

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Equal(Lines("Error: Tenant already exists (409)", "A tenant with id 'acme' already exists."), run.Error);
    }

    [Fact]
    public async Task AValidationProblemPrintsItsTitleDetailAndEachFieldError()
    {
        var run = await RunAsync("tenants", "create", "Acme!", "--name", "Acme Bakery");

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Equal(
            Lines(
                "Error: One or more validation errors occurred. (400)",
                "The tenant was not created.",
                "  id: Use lowercase letters, digits and dashes.",
                "  id: Start with a lowercase letter."),
            run.Error);
    }

    [Fact]
    public async Task ListingTenantsPrintsOneAlignedRowPerTenant()
    {
        Seed(Tenant("acme", "Acme Bakery", limit: new StubRateLimit(100, 200)));
        Seed(Tenant("corner-shop-of-wonders", "Corner", status: "suspended"));

        var run = await RunAsync("tenants", "list");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var request = Assert.Single(_requests);
        Assert.Equal(("GET", "/admin/v1/tenants", (string?)null), (request.Method, request.Path, request.Body));
        Assert.Equal(
            Lines(
                "ID                      NAME         STATUS     RATE LIMIT       CREATED",
                "acme                    Acme Bakery  active     100/s burst 200  2025-03-01 09:30:00Z",
                "corner-shop-of-wonders  Corner       suspended  default          2025-03-01 09:30:00Z"),
            run.Output);
    }

    [Fact]
    public async Task ListingTenantsWithJsonPrintsTheGatewaysJsonAsItCame()
    {
        Seed(Tenant("acme", limit: new StubRateLimit(100, 200)));
        Seed(Tenant("bakery"));

        var run = await RunAsync("tenants", "list", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(await GetRawAsync("/admin/v1/tenants") + Environment.NewLine, run.Output);
        var tenants = JsonNode.Parse(run.Output)!["tenants"]!.AsArray();
        Assert.Equal(["acme", "bakery"], tenants.Select(t => (string)t!["id"]!));
    }

    [Fact]
    public async Task ListingNoTenantsSaysSo()
    {
        var run = await RunAsync("tenants", "list");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(Lines("No tenants."), run.Output);
    }

    [Fact]
    public async Task ShowingATenantGetsItByIdAndPrintsItsDetails()
    {
        Seed(Tenant("acme", "Acme Bakery", status: "suspended"));

        var run = await RunAsync("tenants", "show", "acme");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var request = Assert.Single(_requests);
        Assert.Equal(("GET", "/admin/v1/tenants/acme"), (request.Method, request.Path));
        Assert.Equal(
            Lines(
                "Id          acme",
                "Name        Acme Bakery",
                "Status      suspended",
                "Rate limit  default",
                "Created     2025-03-01 09:30:00Z"),
            run.Output);
    }

    [Fact]
    public async Task ShowingATenantWithJsonPrintsTheGatewaysJson()
    {
        Seed(Tenant("acme", limit: new StubRateLimit(5, 10)));

        var run = await RunAsync("tenants", "show", "acme", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(await GetRawAsync("/admin/v1/tenants/acme") + Environment.NewLine, run.Output);
    }

    [Fact]
    public async Task ShowingAnUnknownTenantExitsWith1AndSaysItWasNotFound()
    {
        var run = await RunAsync("tenants", "show", "nobody");

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Equal(Lines("Error: Tenant not found (404)", "No tenant has the id 'nobody'."), run.Error);
    }

    [Fact]
    public async Task SuspendingATenantPatchesOnlyItsStatus()
    {
        Seed(Tenant("acme", limit: new StubRateLimit(100, 200)));

        var run = await RunAsync("tenants", "suspend", "acme");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var request = Assert.Single(_requests);
        Assert.Equal(("PATCH", "/admin/v1/tenants/acme"), (request.Method, request.Path));
        AssertJson("""{"status":"suspended"}""", request.Body);
        Assert.Equal("suspended", _tenants["acme"].Status);
        Assert.Equal(new StubRateLimit(100, 200), _tenants["acme"].RateLimit);
        Assert.StartsWith(Lines("Tenant acme is suspended.", "", "Id          acme"), run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActivatingATenantPatchesItsStatusToActive()
    {
        Seed(Tenant("acme", status: "suspended"));

        var run = await RunAsync("tenants", "activate", "acme");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        AssertJson("""{"status":"active"}""", Assert.Single(_requests).Body);
        Assert.Equal("active", _tenants["acme"].Status);
        Assert.Contains("Status      active", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingALimitPatchesOnlyTheRateLimit()
    {
        Seed(Tenant("acme"));

        var run = await RunAsync("tenants", "set-limit", "acme", "--rate", "5", "--burst", "10");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var request = Assert.Single(_requests);
        Assert.Equal(("PATCH", "/admin/v1/tenants/acme"), (request.Method, request.Path));
        AssertJson("""{"rateLimit":{"permitsPerSecond":5,"burst":10}}""", request.Body);
        Assert.StartsWith(Lines("Tenant acme rate limit: 5/s burst 10."), run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClearingTheLimitPatchesAnExplicitNullRateLimit()
    {
        Seed(Tenant("acme", limit: new StubRateLimit(100, 200)));

        var run = await RunAsync("tenants", "set-limit", "acme", "--clear");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        AssertJson("""{"rateLimit":null}""", Assert.Single(_requests).Body);
        Assert.Null(_tenants["acme"].RateLimit);
        Assert.StartsWith(Lines("Tenant acme rate limit: default."), run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssuingAKeyPostsNameScopesAndLimitAndShowsTheKeyOnceWithAWarning()
    {
        Seed(Tenant("acme"));

        var run = await RunAsync("keys", "issue", "acme", "--name", "web shop", "--scopes", "ingest,read", "--rate", "20", "--burst", "40");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var request = Assert.Single(_requests);
        Assert.Equal(("POST", "/admin/v1/tenants/acme/keys"), (request.Method, request.Path));
        AssertJson("""{"name":"web shop","scopes":["ingest","read"],"rateLimit":{"permitsPerSecond":20,"burst":40}}""", request.Body);
        Assert.Equal(
            Lines(
                "Issued key \"web shop\" for tenant acme:",
                "",
                "    rpk_00000001_s3cretS3cretS3cret",
                "",
                "Copy it now: this key will not be shown again. Only its prefix is kept, to list and revoke it.",
                "",
                "Prefix      rpk_00000001",
                "Scopes      ingest,read",
                "Rate limit  20/s burst 40",
                "Created     2025-03-01 09:30:00Z"),
            run.Output);
    }

    [Fact]
    public async Task IssuingAKeyWithJsonPrintsTheKeyInTheGatewaysJson()
    {
        Seed(Tenant("acme"));

        var run = await RunAsync("keys", "issue", "acme", "--name", "pos", "--scopes", "write", "--scopes", "read", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        AssertJson("""{"name":"pos","scopes":["write","read"]}""", Assert.Single(_requests).Body);
        var issued = JsonNode.Parse(run.Output)!;
        Assert.Equal("rpk_00000001_s3cretS3cretS3cret", (string)issued["key"]!);
        Assert.Equal("rpk_00000001", (string)issued["prefix"]!);
    }

    [Theory]
    [InlineData("ingest,delete", "Unknown scope 'delete'. A key's scopes are: ingest, read, write, admin.")]
    [InlineData(",", "--scopes needs at least one of: ingest, read, write, admin.")]
    public async Task ABadScopeIsAUsageErrorThatNamesTheValidScopesAndSendsNothing(string scopes, string message)
    {
        var run = await RunAsync("keys", "issue", "acme", "--name", "web shop", "--scopes", scopes);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal(Lines($"Error: {message}", "Run 'rpadmin keys issue --help' for usage."), run.Error);
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task ListingKeysPrintsPrefixesNamesScopesLimitsAndRevocation()
    {
        Seed(Tenant("acme"));
        _keys["acme"] =
        [
            new StubKey("rpk_0a0a0a0a", "web shop", ["ingest", "read"], null, Created, null),
            new StubKey("rpk_1b1b1b1b", "old pos", ["write"], new StubRateLimit(5, 10), Created, Revoked),
        ];

        var run = await RunAsync("keys", "list", "acme");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var request = Assert.Single(_requests);
        Assert.Equal(("GET", "/admin/v1/tenants/acme/keys"), (request.Method, request.Path));
        Assert.Equal(
            Lines(
                "PREFIX        NAME      SCOPES       RATE LIMIT    CREATED               REVOKED",
                "rpk_0a0a0a0a  web shop  ingest,read  tenant's      2025-03-01 09:30:00Z  -",
                "rpk_1b1b1b1b  old pos   write        5/s burst 10  2025-03-01 09:30:00Z  2025-04-02 17:05:09Z"),
            run.Output);
    }

    [Fact]
    public async Task ListingKeysWithJsonPrintsTheGatewaysJson()
    {
        Seed(Tenant("acme"));
        _keys["acme"] = [new StubKey("rpk_0a0a0a0a", "web shop", ["ingest"], null, Created, Revoked)];

        var run = await RunAsync("keys", "list", "acme", "--json");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(await GetRawAsync("/admin/v1/tenants/acme/keys") + Environment.NewLine, run.Output);
    }

    [Fact]
    public async Task RevokingAKeySendsDeleteForItsPrefix()
    {
        Seed(Tenant("acme"));
        _keys["acme"] = [new StubKey("rpk_0a0a0a0a", "web shop", ["ingest"], null, Created, null)];

        var run = await RunAsync("keys", "revoke", "acme", "rpk_0a0a0a0a");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        var request = Assert.Single(_requests);
        Assert.Equal(("DELETE", "/admin/v1/tenants/acme/keys/rpk_0a0a0a0a", (string?)null), (request.Method, request.Path, request.Body));
        Assert.NotNull(Assert.Single(_keys["acme"]).RevokedAt);
        Assert.Equal(Lines("Revoked key rpk_0a0a0a0a of tenant acme."), run.Output);
    }

    [Fact]
    public async Task RevokingAnUnknownKeyExitsWith1AndPrintsTheProblem()
    {
        Seed(Tenant("acme"));

        var run = await RunAsync("keys", "revoke", "acme", "rpk_ffffffff");

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Empty(run.Output);
        Assert.Equal(Lines("Error: Key not found (404)", "Tenant 'acme' has no key with the prefix 'rpk_ffffffff'."), run.Error);
    }

    [Fact]
    public async Task WithoutAnOperatorKeyTheCliExitsWith2AndSendsNothing()
    {
        var run = await RunRawAsync(["tenants", "list", "--url", _url]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.StartsWith(
            Lines("Error: No operator key: pass --operator-key or set RETENTION_OPERATOR_KEY."),
            run.Error,
            StringComparison.Ordinal);
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task TheGatewayAddressAndOperatorKeyComeFromTheEnvironment()
    {
        var environment = new Dictionary<string, string>
        {
            [AdminCli.GatewayUrlVariable] = _url,
            [AdminCli.OperatorKeyVariable] = OperatorKey,
        };

        var run = await RunRawAsync(["tenants", "list"], environment);

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal($"Bearer {OperatorKey}", Assert.Single(_requests).Authorization);
    }

    [Fact]
    public async Task AWrongOperatorKeyIsRefusedWithAHintAndNeverEchoed()
    {
        const string wrongKey = "op-key-wrong-31f";

        var run = await RunRawAsync(["tenants", "list", "--url", _url, "--operator-key", wrongKey]);

        Assert.Equal(ExitCodes.Refused, run.ExitCode);
        Assert.Equal(
            Lines(
                "Error: Operator key required (401)",
                "Send the operator key as a bearer token.",
                "Check the operator key (--operator-key or RETENTION_OPERATOR_KEY)."),
            run.Error);
        Assert.DoesNotContain(wrongKey, run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableGatewayExitsWith3()
    {
        var closed = $"http://127.0.0.1:{TestServers.FreePort()}";

        var run = await RunRawAsync(["tenants", "list", "--url", closed, "--operator-key", OperatorKey]);

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.StartsWith($"Error: Cannot reach the gateway at {closed}/", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(OperatorKey, run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tenants create acme", "Error: Option '--name' is required.")]
    [InlineData("tenants create acme --name Acme --rate 100", "Error: --rate and --burst go together: give both.")]
    [InlineData("tenants set-limit acme --rate ten --burst 20", "Error: --rate must be a positive whole number, not 'ten'.")]
    [InlineData("tenants set-limit acme --burst 0 --rate 1", "Error: --burst must be a positive whole number, not '0'.")]
    [InlineData("tenants set-limit acme", "Error: Give --rate and --burst, or --clear.")]
    [InlineData("tenants set-limit acme --clear --rate 1 --burst 2", "Error: --clear cannot be combined with --rate and --burst.")]
    [InlineData("keys revoke acme", "Error: Required argument 'prefix' missing for command: 'revoke'.")]
    [InlineData("tenants rename acme", "Error: Unrecognized command or argument 'rename'.")]
    [InlineData("tenants", "Error: Required command was not provided.")]
    public async Task ABadCommandLineIsAUsageErrorAndSendsNothing(string commandLine, string errorLine)
    {
        var run = await RunAsync(commandLine.Split(' '));

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains(errorLine + Environment.NewLine, run.Error, StringComparison.Ordinal);
        Assert.EndsWith($" --help' for usage.{Environment.NewLine}", run.Error, StringComparison.Ordinal);
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task HelpGoesToOutputWithExit0()
    {
        var run = await RunAsync("keys", "issue", "--help");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("rpadmin keys issue <tenantId> [options]", run.Output, StringComparison.Ordinal);
        Assert.Contains("ingest, read, write, admin", run.Output, StringComparison.Ordinal);
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task ACallersHttpClientIsUsedAndLeftOpenForTheNextCommand()
    {
        Seed(Tenant("acme"));
        using var client = new HttpClient();

        var first = await RunRawAsync(["tenants", "show", "acme", "--url", _url, "--operator-key", OperatorKey], client: client);
        var second = await RunRawAsync(["keys", "list", "acme", "--url", _url, "--operator-key", OperatorKey], client: client);

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (first.ExitCode, second.ExitCode));
        Assert.Equal(Lines("Tenant acme has no keys."), second.Output);
    }

    private Task<CliRun> RunAsync(params string[] args) =>
        RunRawAsync([.. args, "--url", _url, "--operator-key", OperatorKey]);

    // Never the process environment, so an operator's own RETENTION_* variables cannot leak into a test.
    private static async Task<CliRun> RunRawAsync(string[] args, Dictionary<string, string>? environment = null, HttpClient? client = null)
    {
        environment ??= [];
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await AdminCli.RunAsync(args, output, error, client, name => environment.GetValueOrDefault(name));
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    private async Task<string> GetRawAsync(string path)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, _url + path);
        request.Headers.Authorization = new("Bearer", OperatorKey);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static string Lines(params string[] lines) => string.Concat(lines.Select(line => line + Environment.NewLine));

    private static void AssertJson(string expected, string? actual) =>
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(expected), actual is null ? null : JsonNode.Parse(actual)),
            $"Expected body {expected} but the server received {actual ?? "no body"}.");

    private static StubTenant Tenant(string id, string? name = null, string status = "active", StubRateLimit? limit = null) =>
        new(id, name ?? id, status, limit, Created);

    private void Seed(StubTenant tenant) => _tenants[tenant.Id] = tenant;

    private async Task RecordAndAuthorizeAsync(HttpContext context, RequestDelegate next)
    {
        context.Request.EnableBuffering();
        using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
        var body = await reader.ReadToEndAsync();
        context.Request.Body.Position = 0;
        var authorization = context.Request.Headers.Authorization.ToString();
        _requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            context.Request.Path.ToUriComponent(),
            body.Length == 0 ? null : body,
            authorization,
            context.Request.Headers.UserAgent.ToString()));

        if (authorization != $"Bearer {OperatorKey}")
        {
            await TypedResults.Problem("Send the operator key as a bearer token.", statusCode: 401, title: "Operator key required").ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    // The admin API contract, just enough of it: what the gateway's real implementation must also do.
    private void MapAdminApi(WebApplication app)
    {
        var admin = app.MapGroup("/admin/v1/tenants");

        admin.MapPost("/", Results<Created<StubTenant>, ValidationProblem, ProblemHttpResult> (JsonObject body) =>
        {
            var id = (string?)body["id"] ?? "";
            var errors = new List<string>();
            if (!id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                errors.Add("Use lowercase letters, digits and dashes.");
            }

            if (id.Length == 0 || !char.IsAsciiLetterLower(id[0]))
            {
                errors.Add("Start with a lowercase letter.");
            }

            if (errors.Count > 0)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [.. errors] }, "The tenant was not created.");
            }

            var tenant = new StubTenant(id, (string)body["name"]!, "active", ReadLimit(body["rateLimit"]), Created);
            return _tenants.TryAdd(id, tenant)
                ? TypedResults.Created($"/admin/v1/tenants/{id}", tenant)
                : TypedResults.Problem($"A tenant with id '{id}' already exists.", statusCode: 409, title: "Tenant already exists");
        });

        admin.MapGet("/", () => TypedResults.Ok(new { tenants = _tenants.Values.OrderBy(t => t.Id, StringComparer.Ordinal) }));

        admin.MapGet("/{tenantId}", Results<Ok<StubTenant>, ProblemHttpResult> (string tenantId) =>
            _tenants.TryGetValue(tenantId, out var tenant) ? TypedResults.Ok(tenant) : TenantNotFound(tenantId));

        admin.MapPatch("/{tenantId}", Results<Ok<StubTenant>, ProblemHttpResult> (string tenantId, JsonObject body) =>
        {
            if (!_tenants.TryGetValue(tenantId, out var tenant))
            {
                return TenantNotFound(tenantId);
            }

            tenant = tenant with
            {
                Name = body.ContainsKey("name") ? (string)body["name"]! : tenant.Name,
                Status = body.ContainsKey("status") ? (string)body["status"]! : tenant.Status,
                RateLimit = body.ContainsKey("rateLimit") ? ReadLimit(body["rateLimit"]) : tenant.RateLimit,
            };
            _tenants[tenantId] = tenant;
            return TypedResults.Ok(tenant);
        });

        admin.MapPost("/{tenantId}/keys", Results<Created<IssuedStubKey>, ProblemHttpResult> (string tenantId, JsonObject body) =>
        {
            if (!_tenants.ContainsKey(tenantId))
            {
                return TenantNotFound(tenantId);
            }

            var keys = _keys.GetOrAdd(tenantId, _ => []);
            var key = new StubKey(
                $"rpk_{keys.Count + 1:x8}",
                (string)body["name"]!,
                [.. body["scopes"]!.AsArray().Select(s => (string)s!)],
                ReadLimit(body["rateLimit"]),
                Created,
                null);
            keys.Add(key);
            return TypedResults.Created(
                $"/admin/v1/tenants/{tenantId}/keys/{key.Prefix}",
                new IssuedStubKey($"{key.Prefix}_s3cretS3cretS3cret", key.Prefix, key.Name, key.Scopes, key.RateLimit, key.CreatedAt));
        });

        admin.MapGet("/{tenantId}/keys", Results<Ok<StubKeyList>, ProblemHttpResult> (string tenantId) =>
            _tenants.ContainsKey(tenantId)
                ? TypedResults.Ok(new StubKeyList(_keys.GetValueOrDefault(tenantId) ?? []))
                : TenantNotFound(tenantId));

        admin.MapDelete("/{tenantId}/keys/{prefix}", Results<NoContent, ProblemHttpResult> (string tenantId, string prefix) =>
        {
            var keys = _keys.GetValueOrDefault(tenantId) ?? [];
            var index = keys.FindIndex(k => k.Prefix == prefix);
            if (index < 0)
            {
                return TypedResults.Problem($"Tenant '{tenantId}' has no key with the prefix '{prefix}'.", statusCode: 404, title: "Key not found");
            }

            keys[index] = keys[index] with { RevokedAt = Revoked };
            return TypedResults.NoContent();
        });
    }

    private static ProblemHttpResult TenantNotFound(string tenantId) =>
        TypedResults.Problem($"No tenant has the id '{tenantId}'.", statusCode: 404, title: "Tenant not found");

    private static StubRateLimit? ReadLimit(JsonNode? node) =>
        node is JsonObject limit ? new StubRateLimit((int)limit["permitsPerSecond"]!, (int)limit["burst"]!) : null;

    private sealed record CliRun(int ExitCode, string Output, string Error);

    private sealed record RecordedRequest(string Method, string Path, string? Body, string Authorization, string UserAgent);

    private sealed record StubRateLimit(int PermitsPerSecond, int Burst);

    private sealed record StubTenant(string Id, string Name, string Status, StubRateLimit? RateLimit, DateTimeOffset CreatedAt);

    private sealed record StubKey(string Prefix, string Name, string[] Scopes, StubRateLimit? RateLimit, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

    private sealed record IssuedStubKey(string Key, string Prefix, string Name, string[] Scopes, StubRateLimit? RateLimit, DateTimeOffset CreatedAt);

    private sealed record StubKeyList(List<StubKey> Keys);
}
