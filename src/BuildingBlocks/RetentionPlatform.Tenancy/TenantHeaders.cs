namespace RetentionPlatform.Tenancy;

/// <summary>Headers the gateway sets on every proxied call after authenticating the API key.</summary>
public static class TenantHeaders
{
    /// <summary>The authenticated tenant. The gateway removes any value a caller sent before setting it.</summary>
    public const string Tenant = "x-retention-tenant";

    /// <summary>The gateway's signature of <see cref="Tenant"/> (see <see cref="GatewayTrust"/>); also removed from callers.</summary>
    public const string GatewaySignature = "x-retention-gateway-signature";
}
