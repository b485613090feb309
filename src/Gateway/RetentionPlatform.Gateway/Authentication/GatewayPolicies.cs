using RetentionPlatform.Gateway.Tenants;

namespace RetentionPlatform.Gateway.Authentication;

/// <summary>
/// The authorization policies routes name: one per scope (<c>ingest</c>, <c>read</c>, <c>write</c>, <c>admin</c>;
/// an API key of a tenant that has the scope), <c>partner</c> (any valid key) and <c>operator</c> (the platform operator's credential).
/// </summary>
public static class GatewayPolicies
{
    public const string Operator = "operator";

    /// <summary>Any valid API key, whatever its scopes (gRPC server reflection).</summary>
    public const string Partner = "partner";

    public static IServiceCollection AddGatewayPolicies(this IServiceCollection services)
    {
        var authorization = services.AddAuthorizationBuilder();
        foreach (var scope in ApiScopes.All)
        {
            authorization.AddPolicy(scope, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireClaim(ApiKeyAuthenticationHandler.TenantClaim)
                .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope));
        }

        authorization.AddPolicy(Partner, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireClaim(ApiKeyAuthenticationHandler.TenantClaim));
        authorization.AddPolicy(Operator, policy => policy
            .AddAuthenticationSchemes(OperatorAuthenticationHandler.SchemeName)
            .RequireClaim(OperatorAuthenticationHandler.OperatorClaim));
        return services;
    }
}
