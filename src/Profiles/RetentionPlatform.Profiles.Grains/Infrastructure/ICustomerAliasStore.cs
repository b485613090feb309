namespace RetentionPlatform.Profiles;

/// <summary>
/// Which customer each alias (<c>email:...</c>, <c>phone:...</c>, <c>id:...</c>, see <see cref="CustomerAliases"/>) of a
/// tenant resolves to. A table with one unique row per alias rather than a grain per alias: claiming is one
/// statement, and a million customers' addresses do not become a million activations.
/// </summary>
public interface ICustomerAliasStore
{
    /// <summary>Points the alias at <paramref name="customerId"/> unless another customer holds it; returns the holder.</summary>
    Task<string> ClaimAsync(string tenantId, string aliasKey, string customerId, CancellationToken cancellationToken = default);

    /// <summary>The customer the alias resolves to, or null.</summary>
    Task<string?> ResolveAsync(string tenantId, string aliasKey, CancellationToken cancellationToken = default);

    /// <summary>Points the aliases at <paramref name="customerId"/> whoever held them (after a merge).</summary>
    Task AssignAsync(string tenantId, IReadOnlyCollection<string> aliases, string customerId, CancellationToken cancellationToken = default);

    /// <summary>Forgets every alias <paramref name="customerId"/> holds (after an erasure).</summary>
    Task ReleaseAllAsync(string tenantId, string customerId, CancellationToken cancellationToken = default);
}
