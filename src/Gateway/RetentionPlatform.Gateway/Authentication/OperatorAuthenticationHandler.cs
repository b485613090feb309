using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace RetentionPlatform.Gateway.Authentication;

/// <summary>The operator credential of the admin API (<c>Gateway:Operator:Sha256</c>: hex SHA-256 of the operator key).</summary>
public sealed class OperatorOptions
{
    public string Sha256 { get; set; } = "";
}

/// <summary>
/// Authenticates the platform's operator (<c>Authorization: Bearer &lt;operator key&gt;</c>) for the admin API.
/// Without a configured operator credential the admin API refuses everyone.
/// </summary>
public sealed class OperatorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<OperatorOptions> operatorOptions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Operator";
    public const string OperatorClaim = "retention:operator";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var expected = operatorOptions.Value.Sha256.ToLowerInvariant();
        var presented = ApiKeyHasher.Hash(header["Bearer ".Length..].Trim());
        if (expected.Length != 64 || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(presented)))
        {
            return Task.FromResult(AuthenticateResult.Fail("The operator credential is not valid."));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(OperatorClaim, "true")], SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        await RetentionPlatform.Gateway.Protection.GatewayErrors.WriteAsync(Context, 401, "Unauthenticated",
            failure ?? "The admin API needs the operator credential as 'Authorization: Bearer <operator key>'.");
    }
}
