namespace RetentionPlatform.Profiles;

/// <summary>Builds and reads the <see cref="ICustomerGrain"/> key: <c>tenant/customer</c>.</summary>
public static class CustomerGrainKey
{
    public static string For(string tenantId, string customerId) => $"{tenantId}/{customerId}";

    /// <summary>Splits at the first slash: tenant ids never contain one, customer ids may.</summary>
    public static (string TenantId, string CustomerId) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0
            ? throw new ArgumentException($"'{key}' is not a tenant/customer key.", nameof(key))
            : (key[..slash], key[(slash + 1)..]);
    }
}
