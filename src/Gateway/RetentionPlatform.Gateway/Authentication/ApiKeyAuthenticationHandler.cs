using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace RetentionPlatform.Gateway.Authentication;

/// <summary>
/// Authenticates partners by API key (<c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key</c>) and
/// answers failures with ProblemDetails, like every other error of the API.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRing ring) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string TenantClaim = "retention:tenant";
    public const string ScopeClaim = "retention:scope";
    public const string KeyPrefixClaim = "retention:key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = ReadKey(Request);
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var key = ring.Find(presented);
        if (key is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid (unknown or revoked)."));
        }

        if (!key.TenantActive)
        {
            return Task.FromResult(AuthenticateResult.Fail($"The tenant '{key.Tenant}' is suspended."));
        }

        Context.Features.Set(key);
        var claims = new List<Claim>(key.Scopes.Count + 2) { new(TenantClaim, key.Tenant), new(KeyPrefixClaim, key.Prefix) };
        claims.AddRange(key.Scopes.Select(scope => new Claim(ScopeClaim, scope)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await WriteProblemAsync("Unauthenticated", failure ?? "Send your API key as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        // Each partner route's policy is named after the one scope it needs.
        var scope = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
            .Select(a => a.Policy).LastOrDefault(p => p is not null);
        await WriteProblemAsync("Forbidden", scope is null
            ? "The API key does not allow this call."
            : $"The API key lacks the '{scope}' scope this call needs; issue a key with that scope.");
    }

    private static string? ReadKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = header["Bearer ".Length..].Trim();
            return token.Length > 0 ? token : null;
        }

        var apiKey = request.Headers[ApiKeyHeader].ToString().Trim();
        return apiKey.Length > 0 ? apiKey : null;
    }

    private ValueTask WriteProblemAsync(string title, string detail) =>
        RetentionPlatform.Gateway.Protection.GatewayErrors.WriteAsync(Context, Response.StatusCode, title, detail);
}
